package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Turn;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the {@code repetition} shaper (Refine-and-Imitate's sentence filter) on {@code persuasion}, whose
 * persuadee applies the same filter to its hidden state: the shaper's penalty falls on exactly the turns the
 * persuadee's {@code repetition} signal marks, and the episode file records both.
 */
class PersuasionRepetitionShapingTest {
  @Test
  void repetitionShaperPenalisesExactlyTheTurnsThePersuadeeFoundRepeated(@TempDir Path dir) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - name: outcome
          - name: repetition
            weight: 0.1
        """);
    Path agent = Files.writeString(dir.resolve("agent.yaml"), """
        messages:
          - Every dollar you give will help provide food for a child.
          - Imagine a little girl going to sleep hungry every night.
          - Every dollar you give will provide food for a child!
          - Save the Children was founded in 1919 and is trusted.
          - Imagine a little girl who goes to sleep hungry every night.
          - Would you like to donate some of your payment?
        cycle: true
        """);
    int code = Ludus.run("rollout", "--env", "persuasion", "--env-config", "maxTurns: 6", "--agent", "scripted",
        "--agent-config", agent.toString(), "--episodes", "4", "--concurrency", "2", "--shaping", shaping.toString(),
        "--out", dir.resolve("runs").toString(), "--no-progress");
    assertEquals(0, code);
    Path run;
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(4, episodes.size());
    int repeatedTurns = 0;
    for (Episode e : episodes) {
      assertTrue(e.status() != EpisodeStatus.FAILED, e.toString());
      for (Turn t : e.turns()) {
        boolean userSawRepeat = t.signals().get(PersuasionSignals.REPETITION).orElseThrow();
        double repeat = e.ledger().stream()
            .filter(l -> l.turn() == t.index() && l.source().equals("repetition") && l.component().equals("repeat"))
            .mapToDouble(LedgerEntry::raw).sum();
        assertEquals(userSawRepeat, repeat < 0, "turn " + t.index() + ": " + t.action().content());
        repeatedTurns += userSawRepeat ? 1 : 0;
        if (userSawRepeat) {
          assertEquals(-2.0, repeat, 1e-12, "R&I's -2 per repeated sentence");
        }
      }
    }
    assertTrue(repeatedTurns >= 2 * episodes.size(), "turns 3 and 5 repeat in every episode: " + repeatedTurns);
  }
}
