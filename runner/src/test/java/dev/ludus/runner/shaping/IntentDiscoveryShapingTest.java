package dev.ludus.runner.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Turn;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the unchanged info-gain shaper on intent-discovery records each turn's gain in the episode file. */
class IntentDiscoveryShapingTest {
  @Test
  void infoGainOnIntentDiscoveryTelescopesToTheEntropyRemoved(@TempDir Path dir) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - name: outcome
          - name: info-gain
            weight: 0.5
        """);
    int code = Ludus.run("rollout", "--env", "intent-discovery", "--env-config", "{gain: none, expertise: novice}",
        "--agent", "oracle", "--episodes", "12", "--concurrency", "6", "--shaping", shaping.toString(), "--out",
        dir.resolve("runs").toString(), "--no-progress");
    assertEquals(0, code);
    Path run;
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(12, episodes.size());
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.COMPLETED, e.status());
      assertTrue(e.success());
      List<LedgerEntry> gains = e.ledger().stream().filter(l -> l.source().equals("info-gain")).toList();
      assertEquals(e.turns().size(), gains.size(), "one info-gain entry per turn");
      double h0 = e.startSignals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
      Turn last = e.turns().get(e.turns().size() - 1);
      double hT = last.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
      assertEquals(h0 - hT, gains.stream().mapToDouble(LedgerEntry::raw).sum(), 1e-9, "gains telescope");
      assertTrue(gains.stream().anyMatch(l -> l.raw() > 0), "answers shrink the candidate set");
      assertTrue(gains.stream().allMatch(l -> Math.abs(l.value() - 0.5 * l.raw()) < 1e-12), "weight 0.5 applied");
      List<LedgerEntry> outcome = e.ledger().stream().filter(l -> l.source().equals("outcome")).toList();
      assertEquals(1.0, outcome.get(outcome.size() - 1).raw(), 1e-12, "gain: none leaves the score as the outcome");
    }
  }
}
