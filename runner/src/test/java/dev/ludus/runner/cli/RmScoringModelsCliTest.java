package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.runner.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ludus rm crm} prints its table; {@code rm train --target utterance} learns from a rollout's ledger. */
class RmScoringModelsCliTest {
  @TempDir Path tmp;

  @Test
  void crmPrintsHeldOutAccuracyWithAndWithoutPeerReviewPerNoiseRate() {
    Outcome crm = CliRun.main(new String[] {"rm", "crm", "--synthetic", "24", "--seeds", "2", "--noise", "0,0.4",
        "--epochs", "2", "--batch", "12", "--width", "16"});
    assertEquals(0, crm.code(), crm.out() + crm.err());
    assertTrue(crm.out().lines().anyMatch(l -> l.startsWith("0% ") && l.contains("±")), crm.out());
    assertTrue(crm.out().lines().anyMatch(l -> l.startsWith("40% ") && l.contains("±")), crm.out());
    assertTrue(crm.out().contains("with peer review"), crm.out());
  }

  @Test
  void anUtteranceRewardModelTrainsOnTheLedgerOfARollout() throws Exception {
    Outcome rollout = CliRun.main(new String[] {"rollout", "--env", "guess-number", "--agent", "random",
        "--episodes", "12", "--group-size", "4", "--out", tmp.resolve("runs").toString()});
    assertEquals(0, rollout.code(), rollout.err());
    Path run;
    try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    Path model = tmp.resolve("urm");
    Outcome train = CliRun.main(new String[] {"rm", "train", run.toString(), "--target", "utterance", "--out",
        model.toString(), "--epochs", "1", "--layers", "1", "--width", "16", "--heads", "2", "--vocab", "300"});
    assertEquals(0, train.code(), train.out() + train.err());
    assertTrue(train.out().contains("held-out: MSE"), train.out());
    assertTrue(Files.readString(model.resolve("reward-model.json")).contains("\"utterance\""));
    Outcome bad = CliRun.main(new String[] {"rm", "train", run.toString(), "--target", "turns", "--out",
        tmp.resolve("x").toString()});
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--target"), bad.err());
  }
}
