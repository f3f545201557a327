package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.runner.cli.CliRun.Outcome;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ludus bench scoring} on a tiny run prints a scoring share between 0 and 1; bad options exit 2. */
class BenchScoringCliTest {
  @TempDir Path tmp;

  @Test
  void aTinyRunPrintsItsIterationsAndAShareBetweenZeroAndOne() {
    Outcome o = CliRun.main(new String[] {"bench", "scoring", "--iterations", "1", "--tasks", "2", "--group-size",
        "2", "--eval-episodes", "2", "--out", tmp.toString()});
    assertEquals(0, o.code(), o.out() + o.err());
    // by default the scoring model is a short run's own checkpoint (its tokenizer and context), not a fresh model
    assertTrue(o.out().lines().anyMatch(l -> l.startsWith("bench scoring: scoring model ") && l.contains("probe")
        && l.contains("checkpoints") && l.endsWith("policy")), o.out());
    String model = o.out().lines().filter(l -> l.startsWith("bench scoring: scoring model ")).findFirst().orElseThrow()
        .substring("bench scoring: scoring model ".length());
    assertTrue(!java.nio.file.Files.exists(Path.of(model)), "the bench removes its temporary checkpoints: " + model);
    assertTrue(o.out().lines().anyMatch(l -> l.matches("1\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+")), o.out());
    Matcher m = Pattern.compile("scoring share: (\\d+\\.\\d+)").matcher(o.out());
    assertTrue(m.find(), o.out());
    double share = Double.parseDouble(m.group(1));
    assertTrue(share > 0 && share < 1, "share " + share);
    Matcher spans = Pattern.compile("worker busy, (\\d+) spans").matcher(o.out());
    assertTrue(spans.find() && Integer.parseInt(spans.group(1)) >= 4, "at least one span per episode: " + o.out());
    Matcher cpu = Pattern.compile("CPU: the scoring worker's thread (\\d+\\.\\d+) s of the run's (\\d+\\.\\d+) s")
        .matcher(o.out());
    assertTrue(cpu.find(), o.out());
    double scoring = Double.parseDouble(cpu.group(1));
    assertTrue(scoring > 0 && scoring < Double.parseDouble(cpu.group(2)), "a part of the run's CPU: " + o.out());
  }

  @Test
  void badOptionsStopWithTheirRangeAndExitTwo() {
    for (String[] bad : new String[][] {{"--iterations", "0"}, {"--tasks", "0"}, {"--group-size", "1"},
        {"--max-batch", "0"}, {"--eval-episodes", "0"}, {"--scorer", "nope"}}) {
      Outcome o = CliRun.main(new String[] {"bench", "scoring", bad[0], bad[1], "--out", tmp.toString()});
      assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.out() + o.err());
      assertTrue(o.err().contains(bad[0] + " must be"), o.err());
    }
  }
}
