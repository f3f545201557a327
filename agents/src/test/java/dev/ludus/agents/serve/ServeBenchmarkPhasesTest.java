package dev.ludus.agents.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.agents.djl.ChatCompletions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A round's wall time split into phases from the batching worker's timeline. */
class ServeBenchmarkPhasesTest {
  private static final double MS = 1e6;

  @Test
  void theFourPhasesOfARoundAddUpToItAndAreAveragedOverTheRounds() {
    ServeBenchmark.Phases phases = new ServeBenchmark.Phases();
    // round 1: starts at 1,000 ms, first arrival +3, last arrival +9, first admission +12, last step +80, end +95
    phases.add((long) (1_000 * MS), (long) (1_095 * MS), new ChatCompletions.Timeline((long) (1_003 * MS),
        (long) (1_009 * MS), (long) (1_012 * MS), (long) (1_080 * MS)));
    // round 2: 1 ms to the first arrival, none later, 2 to admission, 60 generating, 7 back
    phases.add((long) (2_000 * MS), (long) (2_070 * MS), new ChatCompletions.Timeline((long) (2_001 * MS),
        (long) (2_001 * MS), (long) (2_003 * MS), (long) (2_063 * MS)));
    Map<String, Double> perRound = phases.perRound(2);
    assertEquals(2.0, perRound.get("start to first arrival at the worker"), 1e-6);
    assertEquals(5.5, perRound.get("first arrival to first admission"), 1e-6);
    assertEquals(64.0, perRound.get("first admission to last decoding step"), 1e-6);
    assertEquals(11.0, perRound.get("last step to round end"), 1e-6);
    assertEquals(3.0, perRound.get("(arrivals spread, first to last)"), 1e-6);
    double sum = ServeBenchmark.Phases.NAMES.subList(0, 4).stream().mapToDouble(perRound::get).sum();
    assertEquals((95 + 70) / 2.0, sum, 1e-6, "the four phases add up to the mean round");
  }
}
