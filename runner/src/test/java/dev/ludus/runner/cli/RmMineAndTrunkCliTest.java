package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.runner.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ludus rm train --mine turn|both} on the ledger of a rollout shaped per turn (info-gain), and {@code --trunk}
 * on a djl-lm checkpoint.
 */
class RmMineAndTrunkCliTest {
  @TempDir static Path tmp;
  static Path run;

  static final String[] SMALL = {"--epochs", "1", "--layers", "1", "--width", "16", "--heads", "2", "--vocab", "300"};

  @BeforeAll
  static void rollout() throws Exception {
    Outcome rollout = CliRun.main(new String[] {"rollout", "--env", "guess-number", "--agent", "random",
        "--episodes", "24", "--group-size", "6", "--out", tmp.resolve("runs").toString(), "--shaping",
        "{shapers: [{name: outcome}, {name: info-gain, config: {signal: candidate-entropy}}]}"});
    assertEquals(0, rollout.code(), rollout.err());
    try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
  }

  static Outcome train(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("rm", "train", run.toString()));
    all.addAll(List.of(args));
    return CliRun.main(all.toArray(String[]::new));
  }

  static int pairs(Outcome o) {
    Matcher m = Pattern.compile("ludus rm train: (\\d+) preference pairs").matcher(o.out());
    assertTrue(m.find(), o.out());
    return Integer.parseInt(m.group(1));
  }

  @Test
  void turnPairsComeFromTheLedgerAndBothAddsTheEpisodePairs() {
    Outcome episode = train(concat(new String[] {"--mine", "episode", "--out", tmp.resolve("e").toString()}));
    Outcome turn = train(concat(new String[] {"--mine", "turn", "--out", tmp.resolve("t").toString()}));
    Outcome both = train(concat(new String[] {"--mine", "both", "--out", tmp.resolve("b").toString()}));
    assertEquals(0, turn.code(), turn.out() + turn.err());
    assertEquals(0, both.code(), both.out() + both.err());
    int e = episode.code() == 0 ? pairs(episode) : 0;
    assertTrue(pairs(turn) >= 2, turn.out());
    assertEquals(e + pairs(turn), pairs(both), "both = the episode pairs and the turn pairs");
    assertTrue(Files.isRegularFile(tmp.resolve("t").resolve("reward-model.json")));
    Outcome bad = train("--mine", "turns", "--out", tmp.resolve("x").toString());
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertTrue(bad.err().contains("--mine must be episode, turn or both"), bad.err());
  }

  @Test
  void theHeadGoesOnTheTrunkOfADjlLmCheckpoint() {
    Path ckpt = tmp.resolve("policy");
    try (LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("guess a number between 1 and 8 higher lower correct "
            + "<answer>4</answer>"), 300);
        LanguageModel lm = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 512, tok.vocabSize()), "cpu", 3)) {
      lm.save(ckpt);
      tok.save(ckpt.resolve(LmTokenizer.FILE_NAME));
    }
    Outcome o = train("--mine", "both", "--trunk", ckpt.toString(), "--epochs", "1", "--out",
        tmp.resolve("on-trunk").toString());
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("reward model on the trunk of " + ckpt), o.out());
    assertTrue(Files.isRegularFile(tmp.resolve("on-trunk").resolve("reward-model.json")));
    Outcome missing = train("--trunk", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("y").toString());
    assertTrue(missing.code() != 0, missing.out());
    assertTrue(missing.err().contains("nowhere"), missing.err());
  }

  static String[] concat(String[] a) {
    String[] out = java.util.Arrays.copyOf(a, a.length + SMALL.length);
    System.arraycopy(SMALL, 0, out, a.length, SMALL.length);
    return out;
  }
}
