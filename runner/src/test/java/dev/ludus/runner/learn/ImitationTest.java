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
        PolicyLearner learner = new PolicyLearner(model, null, LearnerConfig.defaults().withLearningRate(3e-3))) {
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
