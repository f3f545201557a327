package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Model selection on a validation split: the weights that validated best (ties to the earlier) are the ones a run
 * ends with, put back when the last ones did worse.
 */
class ValidationSelectionTest {
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
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(text));
      assertTrue(s.offer(0, 0.80), "the first validation is the best so far");
      shift(m, 0.01f);
      float[][] ten = ValidationSelection.weights(m);
      assertTrue(s.offer(10, 0.90), "better than the warm start");
      shift(m, 0.01f);
      assertFalse(s.offer(20, 0.90), "a tie keeps the earlier weights");
      shift(m, 0.01f);
      assertFalse(s.offer(30, 0.80));
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
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()));
      float[][] warm = ValidationSelection.weights(m);
      s.offer(0, 0.898);
      shift(m, 0.01f);
      s.offer(10, 0.898);
      s.restoreBest();
      assertEquals(0, s.bestIteration());
      assertArrayEquals(warm[0], ValidationSelection.weights(m)[0], "RL must beat the warm start, not match it");
    }
  }

  @Test
  void theLastWeightsStayWhenTheyValidatedBest() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()));
      s.offer(0, 0.5);
      shift(m, 0.02f);
      s.offer(10, 0.7);
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
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()));
      assertFalse(s.atCeiling(), "nothing validated yet");
      s.offer(0, 0.99);
      assertFalse(s.atCeiling(), "0.99 can still be beaten");
      s.offer(10, 1.0);
      assertTrue(s.atCeiling(), "1.000 cannot be beaten: a tie keeps the earlier weights");
      s.offer(20, 0.5);
      assertTrue(s.atCeiling(), "the best so far counts, not the last");
    }
  }

  @Test
  void anOffScheduleValidationIsKeptOnlyWhenPerfect() {
    try (LanguageModel m = model()) {
      ValidationSelection s = new ValidationSelection(CONFIG, null, null, m, new PrintWriter(new StringWriter()));
      s.offer(0, 0.9);
      assertFalse(s.offerIfPerfect(3, 0.95), "better than the warm start, but not perfect: not offered");
      assertEquals(0, s.bestIteration(), "so the run would still end with the warm start's weights");
      assertFalse(s.atCeiling());
      assertTrue(s.offerIfPerfect(6, 1.0));
      assertEquals(6, s.bestIteration());
      assertTrue(s.atCeiling());
    }
  }

  @Test
  void theCleanStreakCountsIterationsWhoseGreedyEpisodesAllSucceeded() {
    OracleLabels.Labelled none = new OracleLabels.Labelled(java.util.List.of(), 16, 0);
    OracleLabels.Labelled oneFailed = new OracleLabels.Labelled(java.util.List.of(), 16, 1);
    assertEquals(3, TrainingLoop.cleanStreak(2, true, none));
    assertEquals(0, TrainingLoop.cleanStreak(2, true, oneFailed), "a failed greedy episode starts it again");
    assertEquals(0, TrainingLoop.cleanStreak(2, false, none), "labels of sampled episodes say nothing of the greedy");
    assertEquals(0, TrainingLoop.cleanStreak(2, true, new OracleLabels.Labelled(java.util.List.of(), 0, 0)),
        "no greedy episode played");
  }

  @Test
  void validationIsDueEveryValidateEveryIterationsAndAfterTheLast() {
    ValidationSelection s = new ValidationSelection(TrainConfig.read("{iterations: 25, validateEvery: 10}"), null,
        null, null, new PrintWriter(new StringWriter()));
    StringBuilder due = new StringBuilder();
    for (int it = 0; it < 25; it++) {
      if (s.due(it)) {
        due.append(it + 1).append(' ');
      }
    }
    assertEquals("10 20 25 ", due.toString());
  }
}
