package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.runner.learn.LearnerConfig.LossAggregation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The critic's part of {@link PolicyLearner#update}: the clipped value loss on the policy's value head. */
class ValueLossTest {

  /** Fresh samples with zero advantages (no policy gradient at all), so that only the value loss acts. */
  private static List<Sample> quietSamples(LanguageModel m, long seed, int size) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : LearnFixtures.freshBatch(m, seed, size)) {
      out.add(new Sample(s.promptIds(), s.outputIds(), s.behaviourLogProbs(), new float[s.outputLength()], null,
          m.version()));
    }
    return out;
  }

  private static float[] stateValues(LanguageModel m, List<Sample> samples) {
    return m.stateValues(samples.stream().map(Sample::promptIds).toList());
  }

  /**
   * Three turns with targets one above their current value, recorded with old values that put the value inside
   * the clip range (row 0), above it with the clipped term binding (row 1) and below it with the unclipped term
   * binding (row 2); a fourth turn without a target. Micro-batches of 2 split the rows, so the weights across
   * micro-batches are checked too.
   */
  @Test
  void theClippedValueLossAndItsGradientMatchAHandComputation() {
    LearnerConfig config = LearnerConfig.defaults().withMicroBatchSize(2).withValueLoss(0.5, 0.2);
    try (LanguageModel m = LearnFixtures.critic(3); PolicyLearner learner = new PolicyLearner(m, null, config)) {
      List<Sample> plain = quietSamples(m, 17, 4);
      float[] v = stateValues(m, plain);
      double[] old = {v[0], v[1] - 0.5, v[2] + 0.5};
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        samples.add(plain.get(i).withValueTarget(v[i] + 1.0, old[i]));
      }
      samples.add(plain.get(3));
      double tokens = 0;
      for (int i = 0; i < 3; i++) {
        tokens += samples.get(i).outputLength();
      }
      double[] perRow = new double[3];
      double expectedLoss = 0;
      double expectedClip = 0;
      double expectedBiasGradient = 0;
      for (int i = 0; i < 3; i++) {
        double target = v[i] + 1.0;
        double clippedV = old[i] + Math.max(-0.2, Math.min(0.2, v[i] - old[i]));
        double unclipped = (v[i] - target) * (v[i] - target);
        double clipped = (clippedV - target) * (clippedV - target);
        perRow[i] = 0.5 * Math.max(unclipped, clipped);
        double w = samples.get(i).outputLength() / tokens;
        expectedLoss += w * perRow[i];
        expectedClip += clipped > unclipped + 1e-9 ? w : 0;
        // d/dV of the binding term: the clipped term binds only outside the clip range, where it is constant in V
        double dV = clipped > unclipped + 1e-9 ? 0 : v[i] - target;
        expectedBiasGradient += config.valueCoefficient() * w * dV;
      }
      assertEquals(0.5, perRow[0], 1e-4, "inside the clip range: the plain squared error");
      assertEquals(0.5 * 1.3 * 1.3, perRow[1], 1e-4, "moved 0.5 above V_old: the clipped term binds");
      assertEquals(0.5, perRow[2], 1e-4, "moved 0.5 below V_old: the unclipped term binds");

      List<TokenBatch> batches = learner.ppoBatches(samples);
      assertEquals(2, batches.size());
      PolicyLearner.Pass pass = learner.backward(batches, false);
      float[][] gradients = learner.gradients();
      learner.zeroGradients();
      assertEquals(expectedLoss, pass.value, 1e-4);
      assertEquals(expectedClip, pass.valueClip, 1e-6);
      assertEquals(config.valueCoefficient() * expectedLoss, pass.loss, 1e-4, "no policy loss: zero advantages");
      int bias = learner.optimizer().names().indexOf(learner.optimizer().names().stream()
          .filter(n -> n.contains("valueHead") && n.endsWith("bias")).findFirst().orElseThrow());
      assertEquals(expectedBiasGradient, gradients[bias][0], 1e-4);

      UpdateStats stats = learner.update(samples);
      assertEquals(expectedLoss, stats.valueLoss(), 1e-4);
      assertEquals(stats.policyLoss() + config.valueCoefficient() * stats.valueLoss(), stats.loss(), 1e-5);
      double meanV = 0;
      for (int i = 0; i < 3; i++) {
        meanV += samples.get(i).outputLength() / tokens * v[i];
      }
      assertEquals(meanV, stats.valueMean(), 1e-4);
      assertEquals(expectedClip, stats.valueClipFraction(), 1e-6);
      assertEquals(3, stats.valueSamples());
    }
  }

  /** With the default coefficients, 30 steps bring every state's value near a constant return of 1. */
  @Test
  void theCriticLearnsAConstantReturnWithinAFewDozenSteps() {
    double ret = 1.0;
    LearnerConfig config = LearnerConfig.defaults().withLearningRate(1e-3);
    try (LanguageModel m = LearnFixtures.critic(5); PolicyLearner learner = new PolicyLearner(m, null, config)) {
      List<Sample> train = quietSamples(m, 8, 12);
      List<Sample> heldOut = quietSamples(m, 9, 6);
      double before = maxError(stateValues(m, heldOut), ret);
      assertTrue(before > 0.5, "the untrained critic is far from the return: " + before);
      double firstLoss = Double.NaN;
      UpdateStats last = null;
      for (int step = 0; step < 30; step++) {
        float[] v = stateValues(m, train);
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
          batch.add(train.get(i).withValueTarget(ret, v[i])); // V_old refreshed per step, as per iteration in a run
        }
        last = learner.update(batch);
        if (step == 0) {
          firstLoss = last.valueLoss();
        }
      }
      assertTrue(last.valueLoss() < firstLoss / 20, "value loss " + firstLoss + " -> " + last.valueLoss());
      assertTrue(maxError(stateValues(m, train), ret) < 0.15,
          "trained states: " + maxError(stateValues(m, train), ret));
      assertTrue(maxError(stateValues(m, heldOut), ret) < 0.25,
          "states never trained on: " + maxError(stateValues(m, heldOut), ret));
    }
  }

  /** Returns of +1 or -1 by the prompt's last word: the critic must tell states apart, not learn a mean. */
  @Test
  void theCriticLearnsReturnsThatDependOnTheStateAndItsExplainedVarianceRises() {
    LearnerConfig config =
        LearnerConfig.defaults().withLearningRate(1e-3).withAggregation(LossAggregation.SEQUENCE_MEAN);
    try (LanguageModel m = LearnFixtures.critic(6); PolicyLearner learner = new PolicyLearner(m, null, config)) {
      List<Sample> train = quietSamples(m, 10, 16);
      double[] returns = new double[train.size()];
      for (int i = 0; i < returns.length; i++) {
        int[] p = train.get(i).promptIds();
        returns[i] = p[p.length - 2] % 2 == 0 ? 1.0 : -1.0; // the last word of the prompt decides
      }
      UpdateStats first = null;
      UpdateStats last = null;
      for (int step = 0; step < 20; step++) {
        float[] v = stateValues(m, train);
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
          batch.add(train.get(i).withValueTarget(returns[i], v[i]));
        }
        last = learner.update(batch);
        first = first == null ? last : first;
      }
      assertTrue(first.valueExplainedVariance() < 0.3, "untrained: " + first.valueExplainedVariance());
      assertTrue(last.valueExplainedVariance() > 0.9, "trained: " + last.valueExplainedVariance());
    }
  }

  @Test
  void samplesWithValueTargetsNeedAPolicyWithAValueHead() {
    try (LanguageModel m = LearnFixtures.model(2); PolicyLearner learner = new PolicyLearner(m, null,
        LearnerConfig.defaults())) {
      List<Sample> batch = List.of(quietSamples(m, 1, 1).get(0).withValueTarget(1, 0));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> learner.update(batch));
      assertTrue(e.getMessage().contains("no value head"), e.getMessage());
      assertEquals(0, m.version(), "nothing was applied");
    }
  }

  /** An update without value targets on a model with a head moves the policy exactly as on one without. */
  @Test
  void withoutValueTargetsTheHeadChangesNothingAndTheValueStatsAreZero() {
    try (LanguageModel plain = LearnFixtures.model(12);
        LanguageModel critic = LearnFixtures.critic(12);
        PolicyLearner a = new PolicyLearner(plain, null, LearnerConfig.defaults());
        PolicyLearner b = new PolicyLearner(critic, null, LearnerConfig.defaults())) {
      UpdateStats sa = a.update(LearnFixtures.freshBatch(plain, 4, 6));
      UpdateStats sb = b.update(LearnFixtures.freshBatch(critic, 4, 6));
      assertEquals(sa.loss(), sb.loss(), 1e-7);
      assertEquals(0, sb.valueSamples());
      assertEquals(0.0, sb.valueLoss());
      assertEquals(0.0, sb.valueMean());
      assertEquals(0.0, sb.valueExplainedVariance());
      float[][] pa = LearnFixtures.parameters(plain);
      float[][] pb = LearnFixtures.parameters(critic);
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pa[i], pb[i], 1e-7f, "parameter " + i);
      }
    }
  }

  @Test
  void aCheckpointKeepsTheCriticAndItsOptimizerState(@TempDir Path dir) {
    Path checkpoint = dir.resolve("c");
    float[] expected;
    List<int[]> prompts;
    try (LanguageModel m = LearnFixtures.critic(7); PolicyLearner learner = new PolicyLearner(m, null,
        LearnerConfig.defaults())) {
      List<Sample> samples = quietSamples(m, 3, 4);
      prompts = samples.stream().map(Sample::promptIds).toList();
      float[] v = m.stateValues(prompts);
      List<Sample> batch = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        batch.add(samples.get(i).withValueTarget(2.0, v[i]));
      }
      learner.update(batch);
      expected = m.stateValues(prompts);
      learner.save(checkpoint);
    }
    try (LanguageModel loaded = LearnerCheckpoint.loadPolicy(checkpoint, "cpu");
        PolicyLearner resumed = PolicyLearner.resume(checkpoint, loaded, null, LearnerConfig.defaults())) {
      assertTrue(loaded.hasValueHead());
      assertArrayEquals(expected, loaded.stateValues(prompts));
      assertEquals(1, resumed.steps());
      boolean headInOptimizer = false;
      for (Pair<String, Parameter> p : loaded.parameters()) {
        headInOptimizer |= p.getKey().contains("valueHead") && resumed.optimizer().parameters().contains(p.getValue());
      }
      assertTrue(headInOptimizer, "the value head is trained by the same optimizer");
    }
  }

  private static double maxError(float[] values, double target) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v - target));
    }
    return max;
  }
}
