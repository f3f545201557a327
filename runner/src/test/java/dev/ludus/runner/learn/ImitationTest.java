package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.TokenTrace;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImitationTest {
  @Test
  void imitationRaisesTheLogProbabilityOfTheTarget() {
    Random rng = new Random(7);
    int[] promptA = LearnFixtures.prompt(rng, 4);
    int[] targetA = LearnFixtures.words(rng, 5);
    int[] promptB = LearnFixtures.prompt(rng, 2);
    int[] targetB = LearnFixtures.words(rng, 3);
    List<Demonstration> demos = List.of(new Demonstration(promptA, targetA),
        Demonstration.of(new TokenTrace(promptB, targetB, new float[targetB.length], 0)));
    try (LanguageModel model = LearnFixtures.model(71);
        PolicyLearner learner =
            new PolicyLearner(model, null, LearnerConfig.defaults().withImitationLearningRate(3e-3))) {
      double before = meanLogProb(model, promptA, targetA);
      ImitationStats first = learner.imitate(demos);
      assertTrue(first.applied());
      assertEquals(8, first.tokens());
      ImitationStats last = first;
      for (int i = 0; i < 19; i++) {
        last = learner.imitate(demos);
      }
      double after = meanLogProb(model, promptA, targetA);
      assertTrue(after > before + 1.0, "mean log-prob of the target went from " + before + " to " + after);
      assertTrue(last.loss() < first.loss() - 1.0, first.loss() + " -> " + last.loss());
      assertEquals(20, model.version());
      assertEquals(20, learner.steps());
    }
  }

  @Test
  void theImitationLossIsTheMeanNegativeLogLikelihoodOfTheTargets() {
    Random rng = new Random(8);
    int[] prompt = LearnFixtures.prompt(rng, 3);
    int[] target = LearnFixtures.words(rng, 4);
    try (LanguageModel model = LearnFixtures.model(72);
        PolicyLearner learner = new PolicyLearner(model, null, LearnerConfig.defaults())) {
      double expected = -meanLogProb(model, prompt, target);
      ImitationStats stats = learner.imitate(List.of(new Demonstration(prompt, target)));
      assertEquals(expected, stats.loss(), 1e-4);
    }
  }

  /**
   * Issue 19: RL reused the imitation learning rate. Adam's first step moves every parameter with a gradient by
   * about its learning rate, so the size of one step shows which rate it used: imitation steps at
   * {@code imitationLearningRate}, RL updates at {@code learningRate}.
   */
  @Test
  void imitationAndReinforcementLearningStepAtTheirOwnLearningRates() {
    LearnerConfig config = LearnerConfig.defaults().withImitationLearningRate(1e-3).withLearningRate(1e-5)
        .withAdam(0.9, 0.999, 1e-8, 0);
    Random rng = new Random(3);
    Demonstration demo = new Demonstration(LearnFixtures.prompt(rng, 3), LearnFixtures.words(rng, 3));
    try (LanguageModel a = LearnFixtures.model(73);
        LanguageModel b = LearnFixtures.model(73);
        PolicyLearner imitation = new PolicyLearner(a, null, config);
        PolicyLearner rl = new PolicyLearner(b, null, config)) {
      float[][] before = LearnFixtures.parameters(a);
      imitation.imitate(List.of(demo));
      rl.update(LearnFixtures.freshBatch(b, 4, 4));
      double imitationStep = maxChange(before, LearnFixtures.parameters(a));
      double rlStep = maxChange(before, LearnFixtures.parameters(b));
      assertEquals(1e-3, imitationStep, 1e-4, "imitation moves parameters by its own rate");
      assertEquals(1e-5, rlStep, 1e-6, "RL moves them by the RL rate");
    }
  }

  @Test
  void anImitationStepReportsTheTokenAccuracyAndEntropyBeforeIt() {
    Random rng = new Random(9);
    int[] prompt = LearnFixtures.prompt(rng, 3);
    int[] target = LearnFixtures.words(rng, 4);
    try (LanguageModel model = LearnFixtures.model(74);
        PolicyLearner learner =
            new PolicyLearner(model, null, LearnerConfig.defaults().withImitationLearningRate(1e-2))) {
      float[][][] logits = model.forward(List.of(concat(prompt, target)));
      int hits = 0;
      for (int j = 0; j < target.length; j++) {
        float[] row = logits[0][prompt.length - 1 + j];
        int best = 0;
        for (int v = 1; v < row.length; v++) {
          best = row[v] > row[best] ? v : best;
        }
        hits += best == target[j] ? 1 : 0;
      }
      ImitationStats first = learner.imitate(List.of(new Demonstration(prompt, target)));
      assertEquals(hits / (double) target.length, first.tokenAccuracy(), 1e-9);
      assertTrue(first.entropy() > 2.5, "a fresh model is near uniform: " + first.entropy());
      ImitationStats last = first;
      for (int i = 0; i < 30; i++) {
        last = learner.imitate(List.of(new Demonstration(prompt, target)));
      }
      assertEquals(1.0, last.tokenAccuracy(), "one demonstration is fitted within a few dozen steps");
      assertTrue(last.entropy() < first.entropy(), first.entropy() + " -> " + last.entropy());
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double maxChange(float[][] before, float[][] after) {
    double max = 0;
    for (int i = 0; i < before.length; i++) {
      for (int j = 0; j < before[i].length; j++) {
        max = Math.max(max, Math.abs(before[i][j] - after[i][j]));
      }
    }
    return max;
  }

  private static double meanLogProb(LanguageModel model, int[] prompt, int[] target) {
    return sum(model, prompt, target) / target.length;
  }

  private static double sum(LanguageModel model, int[] prompt, int[] target) {
    double s = 0;
    for (float lp : model.logProbs(prompt, target)) {
      s += lp;
    }
    return s;
  }
}
