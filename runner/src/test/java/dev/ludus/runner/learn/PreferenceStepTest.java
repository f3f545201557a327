package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DPO and IPO steps: their laws at the reference, the loss against log-likelihoods summed by hand, and learning. */
class PreferenceStepTest {
  private static final double BETA = 0.5;

  /** An episode of {@code turns} agent turns, each prompt the whole conversation so far (so they pack into a row). */
  private static List<Sample> episode(Random rng, int turns) {
    List<Sample> out = new ArrayList<>();
    int[] prompt = LearnFixtures.prompt(rng, 2 + rng.nextInt(3));
    for (int t = 0; t < turns; t++) {
      int[] output = LearnFixtures.words(rng, 1 + rng.nextInt(3));
      out.add(new Sample(prompt, output, new float[output.length], new float[output.length], null, 0));
      int[] observation = LearnFixtures.words(rng, 1 + rng.nextInt(2));
      prompt = PackedSample.concat(PackedSample.concat(prompt, output), observation);
    }
    return out;
  }

  private static List<PreferencePair> pairs(long seed, int n) {
    Random rng = new Random(seed);
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new PreferencePair(episode(rng, 1 + rng.nextInt(3)), episode(rng, 1 + rng.nextInt(3))));
    }
    return out;
  }

  /** The log-likelihood of a response's agent tokens, each turn scored on its own by the model. */
  private static double logLikelihood(LanguageModel m, List<Sample> turns) {
    double sum = 0;
    for (Sample s : turns) {
      for (float lp : m.logProbs(s.promptIds(), s.outputIds())) {
        sum += lp;
      }
    }
    return sum;
  }

  private static double softPlus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  @Test
  void dpoLossIsLogTwoWhenThePolicyEqualsItsReference() {
    try (LanguageModel m = LearnFixtures.model(31);
        LanguageModel ref = LearnerCheckpoint.frozenCopy(m);
        PolicyLearner learner = new PolicyLearner(m, ref, LearnerConfig.defaults())) {
      PreferenceStats s = learner.preferenceStep(pairs(1, 6), PreferenceLoss.DPO, BETA);
      assertEquals(Math.log(2), s.loss(), 1e-5);
      assertEquals(0, s.margin(), 1e-5);
      assertEquals(0, s.chosenReward(), 1e-5);
      assertEquals(6, s.pairs());
      assertTrue(s.entropy() > 0 && s.entropy() < Math.log(LearnFixtures.VOCAB) + 1e-6, "entropy " + s.entropy());
    }
  }

  @Test
  void ipoLossIsOneOverFourBetaSquaredWhenThePolicyEqualsItsReference() {
    try (LanguageModel m = LearnFixtures.model(32);
        LanguageModel ref = LearnerCheckpoint.frozenCopy(m);
        PolicyLearner learner = new PolicyLearner(m, ref, LearnerConfig.defaults())) {
      PreferenceStats s = learner.preferenceStep(pairs(2, 5), PreferenceLoss.IPO, BETA);
      assertEquals(1 / (4 * BETA * BETA), s.loss(), 1e-4);
    }
  }

  /** Packed or not, in one micro-batch or several, the loss is that of the log-likelihoods summed turn by turn. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void theLossIsThatOfTheResponsesLogLikelihoodsUnderPolicyAndReference(int layout) {
    // 1: a row per turn, one micro-batch; 2: packed rows, micro-batches of at most 3 rows (a pair may exceed them)
    LearnerConfig config = LearnerConfig.defaults().withPacking(layout == 2).withMicroBatchSize(layout == 2 ? 3 : 64);
    List<PreferencePair> pairs = pairs(3, 5);
    try (LanguageModel m = LearnFixtures.model(33);
        LanguageModel ref = LearnFixtures.model(34);
        PolicyLearner learner = new PolicyLearner(m, ref, config)) {
      double dpo = 0;
      int wins = 0;
      for (PreferencePair p : pairs) {
        double delta = logLikelihood(m, p.chosen()) - logLikelihood(ref, p.chosen())
            - logLikelihood(m, p.rejected()) + logLikelihood(ref, p.rejected());
        dpo += softPlus(-BETA * delta);
        wins += delta > 0 ? 1 : 0;
      }
      PreferenceStats s = learner.preferenceStep(pairs, PreferenceLoss.DPO, BETA);
      assertEquals(dpo / pairs.size(), s.loss(), 2e-4);
      assertEquals((double) wins / pairs.size(), s.accuracy(), 1e-9);
      assertTrue(s.applied());
    }
  }

  @Test
  void dpoStepsRaiseTheChosenOverRejectedLogRatio() {
    List<PreferencePair> pairs = pairs(4, 8);
    try (LanguageModel m = LearnFixtures.model(35);
        LanguageModel ref = LearnerCheckpoint.frozenCopy(m);
        PolicyLearner learner = new PolicyLearner(m, ref, LearnerConfig.defaults().withLearningRate(3e-3))) {
      double before = 0;
      for (PreferencePair p : pairs) {
        before += logLikelihood(m, p.chosen()) - logLikelihood(m, p.rejected());
      }
      for (int i = 0; i < 5; i++) {
        learner.preferenceStep(pairs, PreferenceLoss.DPO, BETA);
      }
      double after = 0;
      for (PreferencePair p : pairs) {
        after += logLikelihood(m, p.chosen()) - logLikelihood(m, p.rejected());
      }
      assertTrue(after > before + 1, "chosen over rejected log-ratio summed over pairs: " + before + " -> " + after);
      PreferenceStats s = learner.preferenceStep(pairs, PreferenceLoss.DPO, BETA);
      assertTrue(s.loss() < Math.log(2) && s.margin() > 0 && s.accuracy() > 0.5, s.toString());
    }
  }

  @Test
  void aPreferenceStepWithoutAReferenceIsRefusedNamingWhatToDo() {
    try (LanguageModel m = LearnFixtures.model(36);
        PolicyLearner learner = new PolicyLearner(m, null, LearnerConfig.defaults())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> learner.preferenceStep(pairs(5, 2), PreferenceLoss.DPO, BETA));
      assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }
  }

  @Test
  void imitatingAtAGivenLearningRateMovesTheWeightsByThatRate() {
    Demonstration d = new Demonstration(new int[] {1, 5, 9, 6}, new int[] {10, 11});
    try (LanguageModel a = LearnFixtures.model(37);
        LanguageModel b = LearnFixtures.model(37);
        PolicyLearner slow = new PolicyLearner(a, null, LearnerConfig.defaults().withMaxGradNorm(0));
        PolicyLearner fast = new PolicyLearner(b, null, LearnerConfig.defaults().withMaxGradNorm(0))) {
      float[][] start = LearnFixtures.parameters(a);
      slow.imitate(List.of(d), 1e-4);
      fast.imitate(List.of(d), 1e-3);
      double slowMove = distance(start, LearnFixtures.parameters(a));
      double fastMove = distance(start, LearnFixtures.parameters(b));
      // Adam's first step moves each weight by about the learning rate, whatever the gradient's size
      assertEquals(10, fastMove / slowMove, 0.5);
    }
  }

  private static double distance(float[][] x, float[][] y) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        sum += (x[i][j] - y[i][j]) * (double) (x[i][j] - y[i][j]);
      }
    }
    return Math.sqrt(sum);
  }
}
