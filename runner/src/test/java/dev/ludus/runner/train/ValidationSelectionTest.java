package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model selection on a validation split: the weights that validated best (ties, and gains within the noise of the
 * paired comparison, to the earlier) are the ones a run ends with, put back when the last ones did worse.
 */
class ValidationSelectionTest {
  /**
   * Validation outcomes by task: task {@code i} succeeded when character {@code i} of {@code wins} is {@code 1}.
   * Spaces are ignored, to group the characters.
   */
  static Map<String, Boolean> outcomes(String wins) {
    String bits = wins.replace(" ", "");
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (int i = 0; i < bits.length(); i++) {
      out.put(Integer.toString(i), bits.charAt(i) == '1');
    }
    return out;
  }

  /** {@code won} successes of {@code n} tasks: the first {@code won}. */
  static Map<String, Boolean> first(int won, int n) {
    return outcomes("1".repeat(won) + "0".repeat(n - won));
  }

  private static final TrainConfig CONFIG = TrainConfig.read("{iterations: 30, validateEvery: 10}");

  private static LanguageModel model() {
    return LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 16, 12), "cpu", 3);
  }

  /** The policy's weights, every value moved by {@code by}. */
  private static void shift(LanguageModel m, float by) {
    float[][] w = ValidationSelection.weights(m);
    for (float[] p : w) {
      for (int i = 0; i < p.length; i++) {
        p[i] += by;
      }
    }
    ValidationSelection.setWeights(m, w);
  }

  @Test
  void theBestValidatedWeightsArePutBackWhenTheLastDidWorse() {
    StringWriter text = new StringWriter();
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(text), "test", false);
      assertTrue(s.offer(0, first(16, 20)), "the first validation is the best so far");
      shift(m, 0.01f);
      float[][] ten = ValidationSelection.weights(m);
      assertTrue(s.offer(10, first(18, 20)), "better than the warm start");
      shift(m, 0.01f);
      assertFalse(s.offer(20, first(18, 20)), "a tie keeps the earlier weights");
      shift(m, 0.01f);
      assertFalse(s.offer(30, first(16, 20)));
      long version = m.version();
      s.restoreBest();
      assertEquals(10, s.bestIteration());
      float[][] now = ValidationSelection.weights(m);
      for (int i = 0; i < now.length; i++) {
        assertArrayEquals(ten[i], now[i], "parameter " + i + " is iteration 10's");
      }
      assertEquals(version + 1, m.version(), "putting weights back is a new policy version");
      assertTrue(text.toString().contains("the weights after 10 iterations (0.900) put back"), text.toString());
    }
  }

  @Test
  void aTieWithTheWarmStartPutsTheWarmStartsWeightsBack() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()), "test", false);
      float[][] warm = ValidationSelection.weights(m);
      s.offer(0, first(18, 20));
      shift(m, 0.01f);
      s.offer(10, outcomes("01" + "1".repeat(16) + "10"));
      s.restoreBest();
      assertEquals(0, s.bestIteration());
      assertArrayEquals(warm[0], ValidationSelection.weights(m)[0], "RL must beat the warm start, not match it");
    }
  }

  @Test
  void theLastWeightsStayWhenTheyValidatedBest() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()), "test", false);
      s.offer(0, first(10, 20));
      shift(m, 0.02f);
      s.offer(10, first(14, 20));
      float[][] last = ValidationSelection.weights(m);
      long version = m.version();
      s.restoreBest();
      assertEquals(version, m.version(), "nothing put back");
      assertArrayEquals(last[0], ValidationSelection.weights(m)[0]);
    }
  }

  @Test
  void onlyAPerfectValidationIsAtTheCeiling() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()), "test", false);
      assertFalse(s.atCeiling(), "nothing validated yet");
      s.offer(0, first(17, 20));
      assertFalse(s.atCeiling(), "0.85 can still be beaten");
      s.offer(10, first(20, 20));
      assertTrue(s.atCeiling(), "1.000 cannot be beaten: a tie keeps the earlier weights");
      s.offer(20, first(10, 20));
      assertTrue(s.atCeiling(), "the best so far counts, not the last");
    }
  }

  @Test
  void anOffScheduleValidationIsKeptOnlyWhenPerfect() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()), "test", false);
      s.offer(0, first(18, 20));
      assertFalse(s.offerIfPerfect(3, first(19, 20)), "better than the warm start, but not perfect: not offered");
      assertEquals(0, s.bestIteration(), "so the run would still end with the warm start's weights");
      assertFalse(s.atCeiling());
      assertTrue(s.offerIfPerfect(6, first(20, 20)));
      assertEquals(6, s.bestIteration());
      assertTrue(s.atCeiling());
    }
  }

  @Test
  void aGainWithinTheNoiseOfThePairedComparisonKeepsTheEarlierWeights() {
    StringWriter text = new StringWriter();
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(text), "test", false);
      s.offer(0, outcomes("1111 1111 1111 1111 0000"));
      // one task more than the warm start (a higher share, 0.85 against 0.80): within the noise
      assertFalse(s.offer(10, outcomes("1111 1111 1111 1111 1000")), "won 1, lost 0: 1 is not above sqrt(1)");
      // three tasks won, two lost: a net gain of one in five discordant tasks
      assertFalse(s.offer(20, outcomes("0011 1111 1111 1111 1110")), "won 3, lost 2: 1 is not above sqrt(5)");
      assertEquals(0, s.bestIteration(), "the warm start's weights are still the kept ones");
      // two tasks more and none lost: beyond the noise (2 > sqrt(2))
      assertTrue(s.offer(30, outcomes("1111 1111 1111 1111 1100")), "won 2, lost 0");
      assertEquals(30, s.bestIteration());
    }
  }

  @Test
  void theComparisonPairsTasksNotShares() {
    // the same share (0.5), but on other tasks: six won, six lost
    ValidationSelection.Comparison c = ValidationSelection.Comparison.of(outcomes("111111 000000 1111"),
        outcomes("000000 111111 1111"));
    assertEquals(6, c.won());
    assertEquals(6, c.lost());
    assertFalse(c.beats());
    // tasks that only one side played are not compared
    ValidationSelection.Comparison partial = ValidationSelection.Comparison.of(outcomes("1111"), outcomes("00"));
    assertEquals(2, partial.won());
    assertEquals(0, partial.lost());
    assertTrue(partial.beats(), "2 > sqrt(2)");
    // the law: a comparison beats only when its won-lost margin is above one standard error
    for (int won = 0; won <= 30; won++) {
      for (int lost = 0; lost <= 30; lost++) {
        assertEquals(won - lost > Math.sqrt(won + lost), new ValidationSelection.Comparison(won, lost).beats());
        if (new ValidationSelection.Comparison(won, lost).beats()) {
          assertFalse(new ValidationSelection.Comparison(lost, won).beats(), "never both ways");
        }
      }
    }
  }

  @Test
  void aPerfectValidationWithinTheNoiseIsNotKept() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()), "test", false);
      s.offer(0, first(19, 20));
      assertFalse(s.offerIfPerfect(5, first(20, 20)), "one task more than the kept weights: within the noise");
      assertFalse(s.atCeiling(), "so RL goes on");
      assertEquals(0, s.bestIteration());
    }
  }

  @Test
  void theCleanStreakCountsIterationsWhoseGreedyEpisodesAllSucceeded() {
    OracleLabels.Labelled none = new OracleLabels.Labelled(List.of(), 16, 0);
    OracleLabels.Labelled oneFailed = new OracleLabels.Labelled(List.of(), 16, 1);
    assertEquals(3, TrainingLoop.cleanStreak(2, true, none));
    assertEquals(0, TrainingLoop.cleanStreak(2, true, oneFailed), "a failed greedy episode starts it again");
    assertEquals(0, TrainingLoop.cleanStreak(2, false, none), "labels of sampled episodes say nothing of the greedy");
    assertEquals(0, TrainingLoop.cleanStreak(2, true, new OracleLabels.Labelled(List.of(), 0, 0)),
        "no greedy episode played");
  }

  @Test
  void validationIsDueEveryValidateEveryIterationsAndAfterTheLast() {
    ValidationSelection s = new ValidationSelection(TrainConfig.read("{iterations: 25, validateEvery: 10}"), null,
        null, null, new PrintWriter(new StringWriter()), "test", false);
    StringBuilder due = new StringBuilder();
    for (int it = 0; it < 25; it++) {
      if (s.due(it)) {
        due.append(it + 1).append(' ');
      }
    }
    assertEquals("10 20 25 ", due.toString());
  }

  private static Episode episode(long seed, String question, boolean success) {
    return new Episode(Episode.SCHEMA, "val-" + seed, "pool", "policy", Task.generated("pool", seed), seed,
        EpisodeStatus.COMPLETED, null, success, success ? 1 : 0, List.of(Message.user(question)), List.of(),
        Signals.empty(), List.of(), List.of(), 0, 0);
  }

  @Test
  void aDeclaredValidationSplitsQuestionDrawnBySeveralSeedsCountsOnceInThePairedTest() {
    // three seeds drew question a, which the new weights answer and the kept ones did not: one task won, not three
    List<Episode> now = List.of(episode(1, "a", true), episode(2, "a", true), episode(3, "a", true),
        episode(4, "b", true));
    List<Episode> kept = List.of(episode(1, "a", false), episode(2, "a", false), episode(3, "a", false),
        episode(4, "b", true));
    ValidationSelection.Comparison byQuestion = ValidationSelection.Comparison.of(
        ValidationSelection.outcomes(now, true), ValidationSelection.outcomes(kept, true));
    assertEquals(new ValidationSelection.Comparison(1, 0), byQuestion);
    assertFalse(byQuestion.beats(), "one question's gain is within the noise");
    assertEquals(2, ValidationSelection.outcomes(now, true).size(), "two questions");
    ValidationSelection.Comparison bySeed = ValidationSelection.Comparison.of(
        ValidationSelection.outcomes(now, false), ValidationSelection.outcomes(kept, false));
    assertEquals(new ValidationSelection.Comparison(3, 0), bySeed, "generated tasks are paired by seed, as before");
  }
}
