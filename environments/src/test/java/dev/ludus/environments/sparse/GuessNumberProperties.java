package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class GuessNumberProperties {

  @Property(tries = 300)
  void feasibleRangeHoldsTheTargetNeverGrowsAndShrinksOnEveryInformativeGuess(
      @ForAll long taskSeed,
      @ForAll @Size(max = 25) List<@IntRange(min = -5, max = 110) Integer> guesses) {
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults())) {
      Reset reset = e.reset(Task.generated("guess-number", taskSeed), 0);
      int target = reset.signals().get(SparseSignals.TARGET).orElseThrow();
      FeasibleRange before = reset.signals().get(SparseSignals.FEASIBLE_RANGE).orElseThrow();
      assertEquals(new FeasibleRange(1, 100), before);
      for (int guess : guesses) {
        StepResult r = e.step(Message.assistant("my guess: " + guess));
        FeasibleRange after = r.signals().get(SparseSignals.FEASIBLE_RANGE).orElseThrow();
        assertTrue(after.contains(target), after + " lost the target " + target);
        assertTrue(after.low() >= before.low() && after.high() <= before.high(), before + " grew to " + after);
        assertEquals(after.count(), r.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
        assertEquals(Math.log(after.count()) / Math.log(2),
            r.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow(), 1e-12);
        boolean invalid = r.signals().has(StandardSignals.INVALID_ACTION);
        assertEquals(guess < 1 || guess > 100, invalid, "guess " + guess);
        if (!invalid && !r.terminated() && before.contains(guess)) {
          assertTrue(after.count() < before.count(), "guess " + guess + " left " + before + " at " + after);
        }
        if (invalid) {
          assertEquals(before, after);
        }
        assertEquals(guess == target, r.terminated(), "guess " + guess + ", target " + target);
        if (r.done()) {
          break;
        }
        before = after;
      }
    }
  }
}
