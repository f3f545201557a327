package dev.ludus.runner.worlds;

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

/**
 * End to end: emotional-support through the shaping pipeline with the existing emotion-delta shaper, unchanged, in
 * both its modes: per-turn deltas telescope to (e_T − e_0)/100 and the final mode equals the environment's reward.
 */
class EmotionalSupportShapingTest {
  @Test
  void emotionDeltaReadsTheUsersEmotionTurnByTurn(@TempDir Path dir) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - name: emotion-delta
          - name: emotion-delta
            as: emotion-final
            weight: 0
            config: {mode: final}
        """);
    for (String agent : List.of("oracle", "random")) {
      Path out = dir.resolve("runs-" + agent);
      int code = Ludus.run("rollout", "--env", "emotional-support", "--agent", agent, "--episodes", "12",
          "--concurrency", "6", "--shaping", shaping.toString(), "--out", out.toString(), "--no-progress");
      assertEquals(0, code);
      Path run;
      try (Stream<Path> runs = Files.list(out)) {
        run = runs.findFirst().orElseThrow();
      }
      List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
      assertEquals(12, episodes.size());
      for (Episode e : episodes) {
        assertTrue(e.status() != EpisodeStatus.FAILED, e.status().toString());
        List<LedgerEntry> deltas = e.ledger().stream().filter(l -> l.source().equals("emotion-delta")).toList();
        assertEquals(e.turns().size(), deltas.size(), "one emotion-delta entry per turn");
        double e0 = e.startSignals().get(StandardSignals.EMOTION).orElseThrow();
        Turn last = e.turns().get(e.turns().size() - 1);
        double eT = last.signals().get(StandardSignals.EMOTION).orElseThrow();
        assertEquals((eT - e0) / 100, deltas.stream().mapToDouble(LedgerEntry::raw).sum(), 1e-9);
        List<LedgerEntry> fin = e.ledger().stream().filter(l -> l.source().equals("emotion-final")).toList();
        assertEquals(1, fin.size());
        assertEquals(last.reward(), fin.get(0).raw(), 1e-12, "final mode pays what the environment pays");
        if (agent.equals("oracle")) {
          assertTrue(e.success());
          assertEquals(0.70, deltas.stream().mapToDouble(LedgerEntry::raw).sum(), 1e-9, "30 -> 100");
        }
      }
    }
  }
}
