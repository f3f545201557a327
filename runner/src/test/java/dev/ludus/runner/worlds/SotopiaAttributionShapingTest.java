package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.environments.social.SotopiaSignals;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@code ludus rollout} on sotopia (self-play, one episode per seat) with Sotopia-RL's {@code attribution}
 * shaper twice, spreading the goal dimension uniformly and by the per-turn attribution labels, writes each seat's
 * ledger into the episode file; each conserves the seat's goal score.
 */
class SotopiaAttributionShapingTest {
  @Test
  void attributionSpreadsEachSeatsGoalScoreOverItsTurnsInTheEpisodeFile(@TempDir Path dir) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - {name: attribution, as: goal-uniform, config: {score: goal}}
          - {name: attribution, as: goal-by-label, weight: 0, config: {score: goal, weights: signal,
              weightSignal: utterance-attribution}}
        """);
    int code = Ludus.run("rollout", "--env", "sotopia", "--agent", "oracle", "--episodes", "8", "--concurrency", "4",
        "--shaping", shaping.toString(), "--out", dir.resolve("runs").toString(), "--no-progress");
    assertEquals(0, code);
    Path run;
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"), Registry.load());
    Map<String, List<Episode>> byMatch = episodes.stream().collect(Collectors.groupingBy(Episode::match));
    assertEquals(8, byMatch.size());
    byMatch.values().forEach(m -> assertEquals(List.of("agent-1", "agent-2"),
        m.stream().map(Episode::seat).sorted().toList(), "one episode per seat"));
    int agreements = 0;
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.COMPLETED, e.status());
      Turn last = e.turns().get(e.turns().size() - 1);
      double goal = last.signals().get(SotopiaSignals.GOAL).orElseThrow();
      for (String component : List.of("goal-uniform", "goal-by-label")) {
        List<LedgerEntry> spread = e.ledger().stream().filter(l -> l.source().equals(component)).toList();
        assertEquals(e.turns().size(), spread.size(), component + ": one entry per turn");
        assertEquals(goal, spread.stream().mapToDouble(LedgerEntry::raw).sum(), 1e-9, component + " conserves S");
      }
      if (goal > 0) {
        agreements++;
        List<LedgerEntry> byLabel = e.ledger().stream().filter(l -> l.source().equals("goal-by-label")).toList();
        double greeting = byLabel.get(0).raw();
        double best = byLabel.stream().mapToDouble(LedgerEntry::raw).max().orElseThrow();
        assertTrue(best > greeting, "a proposal or an accept earns more of the goal than the greeting: " + byLabel);
      }
    }
    assertTrue(agreements > 0, "some matches reach an agreement");
  }
}
