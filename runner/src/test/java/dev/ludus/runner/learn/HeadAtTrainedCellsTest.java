package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.runner.learn.LearnerConfig.KlEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learner computes the vocabulary head and the log-softmax only at the trained cells of a padded batch (issue 19,
 * speed): the loss, its statistics, the gradients and an update's resulting weights are those of the former
 * computation at every cell (the full-head mode kept for this test), within 1e-5, for turns one per row and packed
 * episodes, with every loss term on (PPO clip with stale ratios, KL to a reference, entropy, the value loss, PPO-ptx,
 * turns at temperatures other than 1), and for imitation.
 */
class HeadAtTrainedCellsTest {
  private static final double TOLERANCE = 1e-5;

  /** Episodes of 1 to 3 turns whose prompts continue one another, at temperatures 1, 0.7 and 1.3. */
  private static List<List<Sample>> episodes(LanguageModel policy, long seed, int count) {
    Random rng = new Random(seed);
    double[] temperatures = {1.0, 0.7, 1.3};
    List<List<Sample>> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      List<Sample> turns = new ArrayList<>();
      int[] prompt = LearnFixtures.prompt(rng, 2 + rng.nextInt(4));
      for (int t = 0; t < 1 + e % 3; t++) {
        int[] words = LearnFixtures.words(rng, 1 + rng.nextInt(4));
        int[] output = Arrays.copyOf(words, words.length + 1);
        output[words.length] = 2;
        double temperature = temperatures[(e + t) % 3];
        float[] lp = policy.logProbs(List.of(prompt), List.of(output), new double[] {temperature})[0];
        float[] advantages = new float[output.length];
        for (int j = 0; j < lp.length; j++) {
          lp[j] = Math.min(0f, lp[j] - (float) (rng.nextDouble() * 1.4 - 0.7));
          advantages[j] = (float) rng.nextGaussian();
        }
        turns.add(new Sample(prompt, output, lp, advantages, null, 0).withTemperature(temperature)
            .withValueTarget(rng.nextGaussian(), rng.nextGaussian() * 0.1));
        int[] next = PackedSample.concat(PackedSample.concat(prompt, output), new int[] {5});
        next = PackedSample.concat(next, LearnFixtures.words(rng, 1 + rng.nextInt(4)));
        prompt = PackedSample.concat(next, new int[] {2, 6});
      }
      out.add(turns);
    }
    return out;
  }

  private static List<Demonstration> demonstrations(long seed, int count) {
    Random rng = new Random(seed);
    List<Demonstration> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Demonstration(LearnFixtures.prompt(rng, 2 + rng.nextInt(5)),
          LearnFixtures.words(rng, 1 + rng.nextInt(5))));
    }
    return out;
  }

  private static LearnerConfig config() {
    return LearnerConfig.defaults().withKl(0.3, KlEstimator.K3).withEntropyCoefficient(0.05)
        .withPtxCoefficient(0.5).withMicroBatchSize(3).withMicroBatchTokens(100);
  }

  @Test
  void thePpoLossStatisticsAndGradientsEqualThoseOfTheFullHeadForTurnsOnePerRow() {
    assertSameAsFullHead(false);
  }

  @Test
  void thePpoLossStatisticsAndGradientsEqualThoseOfTheFullHeadForPackedEpisodes() {
    assertSameAsFullHead(true);
  }

  private static void assertSameAsFullHead(boolean packed) {
    try (LanguageModel policy = LearnFixtures.critic(61);
        LanguageModel reference = LearnFixtures.model(62);
        PolicyLearner learner = new PolicyLearner(policy, reference, config())) {
      List<List<Sample>> episodes = episodes(policy, 7, 8);
      List<TokenBatch> batches;
      if (packed) {
        List<PackedSample> rows = new ArrayList<>();
        episodes.forEach(e -> rows.addAll(PackedSample.pack(e)));
        batches = learner.packedBatches(rows);
      } else {
        batches = learner.ppoBatches(episodes.stream().flatMap(List::stream).toList());
      }
      List<Demonstration> demos = demonstrations(9, 5);
      learner.setDemonstrations(demos);
      List<TokenBatch> ptx = learner.imitationBatches(demos);
      long cells = batches.stream().mapToLong(TokenBatch::paddedCells).sum();
      long trained = batches.stream().mapToLong(b -> b.outputTokens).sum();
      assertTrue(trained < cells / 2, "the batch is mostly untrained cells: " + trained + " of " + cells);

      learner.computeFullHead(true);
      PolicyLearner.Pass full = learner.backward(batches, false, ptx);
      float[][] expected = learner.gradients();
      learner.zeroGradients();
      learner.computeFullHead(false);
      PolicyLearner.Pass gathered = learner.backward(batches, false, ptx);
      float[][] actual = learner.gradients();
      learner.zeroGradients();

      assertTrue(PolicyLearnerTest.maxAbs(expected) > 1e-3, "the gradient must not vanish");
      assertAbsolutelyClose(expected, actual);
      assertEquals(full.loss, gathered.loss, TOLERANCE);
      assertEquals(full.policy, gathered.policy, TOLERANCE);
      assertTrue(full.kl > 1e-4, "the KL term is exercised");
      assertEquals(full.kl, gathered.kl, TOLERANCE);
      assertEquals(full.entropy, gathered.entropy, TOLERANCE);
      assertTrue(full.ptx > 0, "the ptx term is exercised");
      assertEquals(full.ptx, gathered.ptx, TOLERANCE);
      assertEquals(full.value, gathered.value, TOLERANCE);
      assertEquals(full.ratio, gathered.ratio, TOLERANCE);
      assertEquals(full.ratioMin, gathered.ratioMin, TOLERANCE);
      assertEquals(full.ratioMax, gathered.ratioMax, TOLERANCE);
      assertEquals(full.clipHigh, gathered.clipHigh, TOLERANCE);
      assertEquals(full.clipLow, gathered.clipLow, TOLERANCE);
      assertEquals(full.behaviourKl, gathered.behaviourKl, TOLERANCE);
      assertEquals(full.hits, gathered.hits);
    }
  }

  @Test
  void theImitationLossAndGradientsEqualThoseOfTheFullHead() {
    try (LanguageModel policy = LearnFixtures.model(63);
        PolicyLearner learner = new PolicyLearner(policy, null, LearnerConfig.defaults().withMicroBatchSize(3))) {
      List<TokenBatch> batches = learner.imitationBatches(demonstrations(11, 7));
      learner.computeFullHead(true);
      PolicyLearner.Pass full = learner.backward(batches, true);
      float[][] expected = learner.gradients();
      learner.zeroGradients();
      learner.computeFullHead(false);
      PolicyLearner.Pass gathered = learner.backward(batches, true);
      float[][] actual = learner.gradients();
      learner.zeroGradients();
      assertTrue(PolicyLearnerTest.maxAbs(expected) > 1e-3, "the gradient must not vanish");
      assertAbsolutelyClose(expected, actual);
      assertEquals(full.loss, gathered.loss, TOLERANCE);
      assertEquals(full.entropy, gathered.entropy, TOLERANCE);
      assertEquals(full.hits, gathered.hits);
    }
  }

  @Test
  void oneUpdateLeavesTheSameWeightsAsWithTheFullHead() {
    float[][][] after = new float[2][][];
    for (int arm = 0; arm < 2; arm++) {
      try (LanguageModel policy = LearnFixtures.critic(64);
          LanguageModel reference = LearnFixtures.model(65);
          PolicyLearner learner = new PolicyLearner(policy, reference, config())) {
        learner.setDemonstrations(demonstrations(13, 4));
        learner.computeFullHead(arm == 0);
        float[][] before = LearnFixtures.parameters(policy);
        learner.update(episodes(policy, 15, 6).stream().flatMap(List::stream).toList());
        after[arm] = LearnFixtures.parameters(policy);
        assertTrue(PolicyLearnerTest.maxAbs(difference(before, after[arm])) > 1e-4, "the update moves the weights");
      }
    }
    assertAbsolutelyClose(after[0], after[1]);
  }

  private static float[][] difference(float[][] a, float[][] b) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new float[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j] - b[i][j];
      }
    }
    return out;
  }

  private static void assertAbsolutelyClose(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        if (Math.abs(expected[i][j] - actual[i][j]) > TOLERANCE) {
          throw new AssertionError("parameter " + i + " entry " + j + ": full head " + expected[i][j]
              + ", trained cells only " + actual[i][j]);
        }
      }
    }
  }
}
