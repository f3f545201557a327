package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuessNumberTest {
  private static final GuessNumberProvider PROVIDER = new GuessNumberProvider();
  private static final BoundEnvironment ENV = PROVIDER.bind(GuessNumberConfig.defaults());

  private static Task task(long seed) {
    return Task.generated("guess-number", seed);
  }

  private static int target(Reset reset) {
    return reset.signals().get(SparseSignals.TARGET).orElseThrow();
  }

  @Test
  void oracleFindsEveryTargetWithinTheBinarySearchBound() {
    Agent oracle = ENV.oracle().orElseThrow();
    for (long seed = 0; seed < 100; seed++) {
      Played p = EnvTestKit.play(ENV, oracle, task(seed), seed, 100);
      assertTrue(p.succeeded(), "seed " + seed);
      assertEquals(1.0, p.totalReward(), "seed " + seed);
      assertTrue(p.steps().size() <= 7, "seed " + seed + " took " + p.steps().size() + " guesses");
      assertFalse(p.anyInvalid(), "seed " + seed);
      assertTrue(p.last().terminated() && !p.last().truncated());
    }
  }

  @Test
  void oracleActsFromAnyStateSoItCanLabelAPolicysOwnStates() {
    assertTrue(ENV.oracleActsFromAnyState());
    Agent oracle = ENV.oracle().orElseThrow();
    // two turns that are not the oracle's (an invalid one, then the range's low end), then the oracle from there
    Agent mixed = request -> switch (request.turn()) {
      case 0 -> java.util.concurrent.CompletableFuture.completedFuture(
          dev.ludus.api.AgentResponse.reply(Message.assistant("<answer>none</answer>")));
      case 1 -> java.util.concurrent.CompletableFuture.completedFuture(dev.ludus.api.AgentResponse.reply(
          Message.assistant("<answer>" + GuessNumberConfig.defaults().low() + "</answer>")));
      default -> oracle.act(request);
    };
    for (long seed = 0; seed < 50; seed++) {
      Played p = EnvTestKit.play(ENV, mixed, task(seed), seed, 100);
      assertTrue(p.succeeded(), "seed " + seed + ": the oracle took over after two turns of others' and won");
    }
  }

  @Test
  void oracleFindsTargetsOnAWideRangeWithNegativeNumbers() {
    BoundEnvironment wide = PROVIDER.bind(new GuessNumberConfig(-1000, 1000, 20));
    Agent oracle = wide.oracle().orElseThrow();
    for (long seed = 0; seed < 30; seed++) {
      Played p = EnvTestKit.play(wide, oracle, task(seed), seed, 100);
      assertTrue(p.succeeded(), "seed " + seed);
      assertTrue(p.steps().size() <= 11, "seed " + seed + " took " + p.steps().size() + " guesses");
    }
  }

  @Test
  void targetsAreDrawnFromTheTaskSeedAcrossTheWholeRange() {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (long seed = 0; seed < 500; seed++) {
      int t = GuessNumberEnvironment.target(GuessNumberConfig.defaults(), task(seed));
      assertTrue(t >= 1 && t <= 100, "target " + t);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    assertTrue(min <= 3 && max >= 98, "targets span only " + min + ".." + max);
  }

  @Test
  void correctGuessEndsTheEpisodeWithRewardOneAndSuccess() {
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults())) {
      int target = target(e.reset(task(7), 7));
      StepResult r = e.step(Message.assistant("I am sure it is <answer>" + target + "</answer>"));
      assertTrue(r.terminated());
      assertFalse(r.truncated());
      assertEquals(1.0, r.reward());
      assertEquals(true, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
      assertEquals(1, r.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
      assertEquals(0.0, r.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow());
    }
  }

  @Test
  void wrongGuessesAreAnsweredHigherOrLowerWithoutReward() {
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults())) {
      int target = target(e.reset(task(3), 3));
      int below = target == 1 ? 2 : target - 1;
      StepResult r = e.step(Message.assistant(Integer.toString(below)));
      assertEquals(0.0, r.reward());
      assertFalse(r.done());
      String expected = below < target ? "Higher" : "Lower";
      assertTrue(Games.text(r).startsWith(expected), Games.text(r));
      assertFalse(r.signals().has(StandardSignals.SUCCESS));
    }
  }

  @Test
  void theExpectedGainGradesTheSplitAndIsLargestForTheMiddleGuess() {
    FeasibleRange eight = new FeasibleRange(1, 8);
    double middle = 3 - 3.0 / 8 * Math.log(3) / Math.log(2) - 4.0 / 8 * 2;
    assertEquals(middle, eight.expectedGainBits(4), 1e-12, "3 below, 4 above");
    assertEquals(3 - 7.0 / 8 * Math.log(7) / Math.log(2), eight.expectedGainBits(1), 1e-12, "an edge guess");
    for (int g = 1; g <= 8; g++) {
      assertTrue(eight.expectedGainBits(g) <= Math.max(eight.expectedGainBits(4), eight.expectedGainBits(5)) + 1e-12);
      assertTrue(eight.expectedGainBits(g) > 0 && eight.expectedGainBits(g) <= eight.entropyBits());
    }
    assertEquals(0, eight.expectedGainBits(9), "outside the range");
    assertEquals(0, new FeasibleRange(5, 5).expectedGainBits(5), 1e-12, "nothing left to learn");
  }

  @Test
  void theExpectedEntropySignalFallsByEachGuesssExpectedGainWhateverTheAnswer() {
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(new GuessNumberConfig(1, 8, 6))) {
      Reset reset = e.reset(task(5), 5);
      double h = reset.signals().get(SparseSignals.EXPECTED_ENTROPY).orElseThrow();
      assertEquals(3, h, 1e-12);
      int target = target(reset);
      int guess = target == 4 ? 5 : 4;
      FeasibleRange before = new FeasibleRange(1, 8);
      StepResult r = e.step(Message.assistant(Integer.toString(guess)));
      double after = r.signals().get(SparseSignals.EXPECTED_ENTROPY).orElseThrow();
      assertEquals(h - before.expectedGainBits(guess), after, 1e-12);
      StepResult garbage = e.step(Message.assistant("no idea"));
      assertEquals(after, garbage.signals().get(SparseSignals.EXPECTED_ENTROPY).orElseThrow(), 1e-12,
          "no guess, no gain");
    }
  }

  @Test
  void sameTaskSeedAndActionsGiveTheSameTrace() {
    Played first = EnvTestKit.play(ENV, ENV.randomAgent(), task(11), 11, 20);
    Played again = EnvTestKit.replay(ENV, task(11), 11, first.actions());
    assertEquals(first.reset(), again.reset());
    assertEquals(first.steps(), again.steps());
    Played otherTask = EnvTestKit.replay(ENV, task(12), 11, first.actions());
    assertNotEquals(target(first.reset()), target(otherTask.reset()));
  }

  @Test
  void garbageIsInvalidExplainsWhatIsAllowedAndTheEpisodeGoesOn() {
    Played p = EnvTestKit.replay(ENV, task(5), 5, Games.script("no idea, honestly", "50"));
    StepResult bad = p.steps().get(0);
    assertTrue(bad.signals().has(StandardSignals.INVALID_ACTION));
    assertFalse(bad.done());
    assertTrue(Games.text(bad).contains("Write one whole number between 1 and 100"), Games.text(bad));
    assertEquals(new FeasibleRange(1, 100), bad.signals().get(SparseSignals.FEASIBLE_RANGE).orElseThrow());
    assertEquals(2, p.steps().size());
    assertFalse(p.steps().get(1).signals().has(StandardSignals.INVALID_ACTION));
  }

  @Test
  void guessOutsideTheBoundsIsInvalid() {
    Played p = EnvTestKit.replay(ENV, task(5), 5, Games.script("<answer>500</answer>"));
    StepResult r = p.steps().get(0);
    assertTrue(r.signals().get(StandardSignals.INVALID_ACTION).orElseThrow().contains("500"));
    assertFalse(r.done());
  }

  @Test
  void turnLimitTruncatesWithoutSuccess() {
    BoundEnvironment three = PROVIDER.bind(new GuessNumberConfig(1, 100, 3));
    int target = GuessNumberEnvironment.target(GuessNumberConfig.defaults(), task(9));
    String wrong = Integer.toString(target == 50 ? 51 : 50);
    Played p = EnvTestKit.replay(three, task(9), 9, Games.script(wrong, "not a number", wrong, wrong));
    assertEquals(3, p.steps().size());
    assertFalse(p.steps().get(1).done());
    StepResult last = p.last();
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertEquals(false, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertTrue(Games.text(last).contains("last turn"), Games.text(last));
  }

  @Test
  void stepBeforeResetOrAfterTheEndIsRefused() {
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults())) {
      assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("50")));
      int target = target(e.reset(task(1), 1));
      e.step(Message.assistant(Integer.toString(target)));
      assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("50")));
    }
  }

  @Test
  void closeIsIdempotentAndAClosedGameRefusesToPlay() {
    GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults());
    e.reset(task(1), 1);
    e.close();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("50")));
    assertThrows(IllegalStateException.class, () -> e.reset(task(1), 1));
  }

  @Test
  void randomAgentIsDeterministicAndStaysInTheBounds() {
    Agent random = ENV.randomAgent();
    List<Message> opening;
    try (GuessNumberEnvironment e = new GuessNumberEnvironment(GuessNumberConfig.defaults())) {
      opening = e.reset(task(2), 2).observation();
    }
    for (int turn = 0; turn < 50; turn++) {
      String a = Games.ask(random, task(2), 2, turn, opening);
      assertEquals(a, Games.ask(random, task(2), 2, turn, opening));
      int n = Integer.parseInt(a);
      assertTrue(n >= 1 && n <= 100, a);
    }
  }

  @Test
  void passesTheEnvironmentChecker() {
    EnvChecker.check(PROVIDER.bind(GuessNumberConfig.defaults())).assertPassed();
  }

  @Test
  void configRejectsAnOutOfRangeMaxTurnsNamingFieldValueAndRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GuessNumberConfig(1, 100, -3));
    assertEquals("maxTurns must be between 1 and 1000, was -3", e.getMessage());
  }

  @Test
  void configRejectsHighNotAboveLow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuessNumberConfig(10, 10, 5));
    assertTrue(e.getMessage().startsWith("high must be between 11 and"), e.getMessage());
    assertTrue(e.getMessage().endsWith("was 10"), e.getMessage());
  }
}
