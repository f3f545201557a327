package dev.ludus.runner.learn;

import static dev.ludus.runner.learn.PolicyLearnerTest.assertClose;
import static dev.ludus.runner.learn.PolicyLearnerTest.maxAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.runner.learn.LearnerConfig.KlEstimator;
import dev.ludus.runner.learn.LearnerConfig.LossAggregation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packed multi-turn updates (issue 19, point 3): an episode's turns trained in one row give the loss, the gradient
 * and the statistics of the same turns one per row, up to float rounding, with every term of the loss on (PPO clip
 * with stale ratios, the dual clip, KL to a reference, entropy, the critic's value loss), turns at different
 * temperatures in one row, and both aggregations.
 */
class PackedUpdateTest {
  private static final int USER = 5;
  private static final int ASSISTANT = 6;
  private static final int EOS = 2;
  private static LanguageModel policy;
  private static LanguageModel reference;

  @BeforeAll
  static void models() {
    policy = LearnFixtures.critic(41);
    reference = LearnFixtures.model(42);
  }

  @AfterAll
  static void close() {
    policy.close();
    reference.close();
  }

  /**
   * A conversation of {@code turns} agent turns whose prompts continue one another: {@code <bos> <user> words
   * <assistant>} then, per turn, the output (ending in end-of-sequence) and the environment's reply under the user
   * marker. Returns each turn's prompt and output.
   */
  private static List<int[][]> conversation(Random rng, int turns) {
    List<int[][]> out = new ArrayList<>();
    int[] prompt = LearnFixtures.prompt(rng, 2 + rng.nextInt(4));
    for (int t = 0; t < turns; t++) {
      int[] words = LearnFixtures.words(rng, 1 + rng.nextInt(3));
      int[] output = Arrays.copyOf(words, words.length + 1);
      output[words.length] = EOS;
      out.add(new int[][] {prompt, output});
      int[] reply = LearnFixtures.words(rng, 1 + rng.nextInt(4));
      int[] next = PackedSample.concat(prompt, output);
      next = PackedSample.concat(next, new int[] {USER});
      next = PackedSample.concat(next, reply);
      prompt = PackedSample.concat(next, new int[] {EOS, ASSISTANT});
    }
    return out;
  }

  /**
   * A turn as the learner gets it: behaviour log-probabilities those of the policy at {@code temperature}, moved by
   * a random log-ratio in [−0.7, 0.7] (stale samples: some clipped, some past the dual clip), random advantages, and
   * a value target.
   */
  private static Sample turn(Random rng, int[] prompt, int[] output, double temperature) {
    float[] lp = policy.logProbs(List.of(prompt), List.of(output), new double[] {temperature})[0];
    float[] advantages = new float[output.length];
    for (int j = 0; j < lp.length; j++) {
      lp[j] = Math.min(0f, lp[j] - (float) (rng.nextDouble() * 1.4 - 0.7));
      advantages[j] = (float) rng.nextGaussian();
    }
    return new Sample(prompt, output, lp, advantages, null, 0).withTemperature(temperature)
        .withValueTarget(rng.nextGaussian(), rng.nextGaussian() * 0.1);
  }

  /**
   * Episodes of 1 to 4 turns at temperatures 1, 0.7 and 1.3 in turn, some turns left out (as a trainer leaves out
   * turns with zero advantages); each inner list is one episode's trained turns in order.
   */
  private static List<List<Sample>> episodes(long seed, int count) {
    Random rng = new Random(seed);
    double[] temperatures = {1.0, 0.7, 1.3};
    List<List<Sample>> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      List<Sample> trained = new ArrayList<>();
      List<int[][]> turns = conversation(rng, 1 + e % 4);
      for (int t = 0; t < turns.size(); t++) {
        if (t == 1 && e % 3 == 0) {
          continue; // a turn not trained on stays in the later prompts as context
        }
        trained.add(turn(rng, turns.get(t)[0], turns.get(t)[1], temperatures[(e + t) % 3]));
      }
      out.add(trained);
    }
    return out;
  }

  private static List<PackedSample> packEach(List<List<Sample>> episodes) {
    List<PackedSample> rows = new ArrayList<>();
    for (List<Sample> e : episodes) {
      rows.addAll(PackedSample.pack(e));
    }
    return rows;
  }

  @Test
  void packedLossGradientAndStatisticsEqualThoseOfTheTurnsOnePerRowWithTokenMean() {
    assertPackedEqualsPerTurn(LossAggregation.TOKEN_MEAN);
  }

  @Test
  void packedLossGradientAndStatisticsEqualThoseOfTheTurnsOnePerRowWithSequenceMean() {
    assertPackedEqualsPerTurn(LossAggregation.SEQUENCE_MEAN);
  }

  private static void assertPackedEqualsPerTurn(LossAggregation aggregation) {
    LearnerConfig config = LearnerConfig.defaults().withKl(0.3, KlEstimator.K3).withEntropyCoefficient(0.05)
        .withAggregation(aggregation).withMicroBatchSize(4).withMicroBatchTokens(120);
    List<List<Sample>> episodes = episodes(3, 9);
    List<Sample> turns = episodes.stream().flatMap(List::stream).toList();
    List<PackedSample> rows = packEach(episodes);
    assertEquals(episodes.size(), rows.size(), "every episode has the prefix property: one row each");
    try (PolicyLearner learner = new PolicyLearner(policy, reference, config)) {
      List<TokenBatch> perTurnBatches = learner.ppoBatches(turns);
      PolicyLearner.Pass perTurn = learner.backward(perTurnBatches, false);
      float[][] expected = learner.gradients();
      learner.zeroGradients();
      List<TokenBatch> packedBatches = learner.packedBatches(rows);
      PolicyLearner.Pass packed = learner.backward(packedBatches, false);
      float[][] actual = learner.gradients();
      learner.zeroGradients();

      assertTrue(maxAbs(expected) > 1e-4, "the gradient must not vanish");
      assertClose(expected, actual, 1e-4);
      assertEquals(perTurn.tokens, packed.tokens);
      assertEquals(perTurn.loss, packed.loss, 1e-5);
      assertEquals(perTurn.policy, packed.policy, 1e-5);
      assertEquals(perTurn.kl, packed.kl, 1e-6);
      assertTrue(perTurn.kl > 1e-4, "the reference differs from the policy, so the KL term is exercised");
      assertEquals(perTurn.entropy, packed.entropy, 1e-5);
      assertEquals(perTurn.ratio, packed.ratio, 1e-5);
      assertEquals(perTurn.ratioMin, packed.ratioMin, 1e-5);
      assertEquals(perTurn.ratioMax, packed.ratioMax, 1e-5);
      assertEquals(perTurn.clipHigh, packed.clipHigh, 1e-6);
      assertEquals(perTurn.clipLow, packed.clipLow, 1e-6);
      assertTrue(perTurn.clipHigh + perTurn.clipLow > 0, "stale samples: the clip is exercised");
      assertEquals(perTurn.dualClip, packed.dualClip, 1e-6);
      assertEquals(perTurn.behaviourKl, packed.behaviourKl, 1e-6);
      assertEquals(perTurn.value, packed.value, 1e-5);
      assertEquals(perTurn.valueMean, packed.valueMean, 1e-5);
      assertEquals(perTurn.valueClip, packed.valueClip, 1e-6);
      assertEquals(perTurn.explainedVariance(), packed.explainedVariance(), 1e-4);
      assertTrue(packed.paddedCells < perTurn.paddedCells, "packing reads the history once: " + packed.paddedCells
          + " cells against " + perTurn.paddedCells);
      assertEquals(turns.size(), perTurn.rows);
      assertEquals(rows.size(), packed.rows);
    }
  }

  @Test
  void anEpisodeWhosePromptWasCutFromTheLeftIsSplitWhereThePrefixPropertyFailsAndStillTrainsTheSame() {
    Random rng = new Random(17);
    List<int[][]> turns = conversation(rng, 4);
    List<Sample> episode = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int[] prompt = turns.get(t)[0];
      if (t == 2) {
        prompt = Arrays.copyOfRange(prompt, 3, prompt.length); // cut from the left to fit a context
      }
      episode.add(turn(rng, prompt, turns.get(t)[1], 1.0));
    }
    List<PackedSample> rows = PackedSample.pack(episode);
    assertEquals(2, rows.size(), "turns 0-1 continue one another, turn 2 does not continue turn 1, turn 3 does "
        + "not continue turn 2 (its prompt is uncut)");
    assertEquals(List.of(episode.get(0), episode.get(1), episode.get(3)), rows.get(0).turns(),
        "turn 3's prompt still continues turn 1's: it joins their row");
    assertEquals(List.of(episode.get(2)), rows.get(1).turns());
    LearnerConfig config = LearnerConfig.defaults().withEntropyCoefficient(0.05);
    try (PolicyLearner learner = new PolicyLearner(policy, null, config)) {
      learner.backward(learner.ppoBatches(episode), false);
      float[][] expected = learner.gradients();
      learner.zeroGradients();
      learner.backward(learner.packedBatches(rows), false);
      float[][] actual = learner.gradients();
      learner.zeroGradients();
      assertClose(expected, actual, 1e-4);
    }
  }

  @Test
  void aPackedUpdateStepsLikeThePerTurnUpdateAndReportsItsRowsAndCells() {
    List<List<Sample>> episodes = episodes(5, 6);
    List<Sample> turns = episodes.stream().flatMap(List::stream).toList();
    LearnerConfig config = LearnerConfig.defaults();
    try (LanguageModel a = LearnFixtures.critic(43); LanguageModel b = LearnFixtures.critic(43);
        PolicyLearner perTurn = new PolicyLearner(a, null, config);
        PolicyLearner packed = new PolicyLearner(b, null, config)) {
      UpdateStats sa = perTurn.update(turns);
      UpdateStats sb = packed.updatePacked(packEach(episodes));
      assertEquals(sa.tokens(), sb.tokens());
      assertEquals(turns.size(), sa.samples());
      assertEquals(turns.size(), sb.samples(), "samples counts turns, packed or not");
      assertEquals(sa.valueSamples(), sb.valueSamples());
      assertEquals(sa.loss(), sb.loss(), 1e-5);
      assertEquals(sa.gradNorm(), sb.gradNorm(), 1e-4 * sa.gradNorm());
      assertEquals(turns.size(), sa.rows());
      assertEquals(episodes.size(), sb.rows());
      assertTrue(sb.trainedTokenShare() > sa.trainedTokenShare(), sa.trainedTokenShare() + " -> "
          + sb.trainedTokenShare());
      assertEquals((double) sb.tokens() / sb.paddedCells(), sb.trainedTokenShare(), 1e-12);
      float[][] pa = LearnFixtures.parameters(a);
      float[][] pb = LearnFixtures.parameters(b);
      // AdamW's first step is lr * g / (|g| + eps): float rounding in a gradient entry near zero (the two layouts sum
      // the same terms in another order) moves that weight by a visible share of lr (5e-4), so the weights are
      // compared at a fifth of lr; the loss and the gradient norm above are the tight checks
      assertClose(pa, pb, 1e-4);
      assertEquals(a.version(), b.version());
    }
  }

  @Test
  void packedMicroBatchesAreSortedByLengthAndRespectBothLimitsWithoutChangingTheGradient() {
    List<PackedSample> rows = packEach(episodes(7, 12));
    LearnerConfig loose = LearnerConfig.defaults().withMicroBatchSize(64).withMicroBatchTokens(1 << 20);
    LearnerConfig tight = LearnerConfig.defaults().withMicroBatchSize(3).withMicroBatchTokens(100);
    try (PolicyLearner a = new PolicyLearner(policy, null, loose);
        PolicyLearner b = new PolicyLearner(policy, null, tight)) {
      assertEquals(1, a.microBatches(rows, true).size());
      List<List<PackedSample>> chunks = b.microBatches(rows, true);
      int previous = 0;
      int total = 0;
      for (List<PackedSample> chunk : chunks) {
        int width = chunk.stream().mapToInt(PackedSample::length).max().orElseThrow();
        assertTrue(chunk.size() <= 3, "at most microBatchSize rows");
        assertTrue(chunk.size() == 1 || chunk.size() * width <= 100, "at most microBatchTokens cells, or one row");
        for (PackedSample r : chunk) {
          assertTrue(r.length() >= previous, "sorted by length");
          previous = r.length();
        }
        total += chunk.size();
      }
      assertEquals(rows.size(), total);
      assertTrue(chunks.size() > 4);
      a.backward(a.packedBatches(rows), false);
      float[][] whole = a.gradients();
      a.zeroGradients();
      b.backward(b.packedBatches(rows), false);
      float[][] split = b.gradients();
      b.zeroGradients();
      assertClose(whole, split, 1e-5);
      // the per-turn layout keeps its rows in order, microBatchSize at a time, whatever their lengths
      List<Sample> turns = rows.stream().flatMap(r -> r.turns().stream()).toList();
      List<List<PackedSample>> inOrder = b.microBatches(turns.stream().map(PackedSample::of).toList(), false);
      assertEquals((turns.size() + 2) / 3, inOrder.size());
      assertEquals(turns.get(0), inOrder.get(0).get(0).turns().get(0));
    }
  }

  @Test
  void packedDemonstrationsGiveTheImitationLossAndGradientOfOneRowEach() {
    List<Demonstration> demos = new ArrayList<>();
    for (List<Sample> e : episodes(11, 8)) {
      for (Sample s : e) {
        demos.add(new Demonstration(s.promptIds(), s.outputIds()));
      }
    }
    java.util.Collections.shuffle(demos, new Random(1)); // a teacher collects them as episodes finish
    for (LossAggregation aggregation : LossAggregation.values()) {
      LearnerConfig config = LearnerConfig.defaults().withAggregation(aggregation);
      try (PolicyLearner perTurn = new PolicyLearner(policy, null, config.withPacking(false));
          PolicyLearner packed = new PolicyLearner(policy, null, config)) {
        List<TokenBatch> a = perTurn.imitationBatches(demos);
        List<TokenBatch> b = packed.imitationBatches(demos);
        assertEquals(demos.size(), a.stream().mapToInt(x -> x.rows).sum());
        assertTrue(b.stream().mapToInt(x -> x.rows).sum() <= 8, "at most one row per demonstrated episode");
        PolicyLearner.Pass pa = perTurn.backward(a, true);
        float[][] ga = perTurn.gradients();
        perTurn.zeroGradients();
        PolicyLearner.Pass pb = packed.backward(b, true);
        float[][] gb = packed.gradients();
        packed.zeroGradients();
        assertClose(ga, gb, 1e-4);
        assertEquals(pa.loss, pb.loss, 1e-5);
        assertEquals(pa.hits, pb.hits);
        assertEquals(pa.tokens, pb.tokens);
      }
    }
  }

  @Test
  void packedStateValuesEqualThoseOfEachPromptAlone() {
    List<List<Sample>> episodes = episodes(13, 5);
    List<dev.ludus.api.Episode> played = new ArrayList<>();
    for (int e = 0; e < episodes.size(); e++) {
      List<dev.ludus.api.Turn> turns = new ArrayList<>();
      for (Sample s : episodes.get(e)) {
        turns.add(new dev.ludus.api.Turn(turns.size(), dev.ludus.api.Message.assistant("t"),
            new dev.ludus.api.TokenTrace(s.promptIds(), s.outputIds(), s.behaviourLogProbs(), 0),
            List.of(dev.ludus.api.Message.user("ok")), 1000, false, false, null, 0, 0));
      }
      played.add(new dev.ludus.api.Episode(dev.ludus.api.Episode.SCHEMA, "e" + e, "test-env", "test-agent",
          new dev.ludus.api.Task("t", 0, null), 0, dev.ludus.api.EpisodeStatus.COMPLETED, null, false, 0,
          List.of(dev.ludus.api.Message.user("go")), List.of(), null, turns, List.of(), 0, 0));
    }
    StateValues perTurn = StateValues.compute(policy, played, 3);
    StateValues packed = StateValues.compute(policy, played, 2, true);
    for (dev.ludus.api.Episode e : played) {
      assertArrayEquals(perTurn.of(e), packed.of(e), 1e-5, e.id());
    }
  }

  @Test
  void aPackedRowRefusesTurnsThatAreNotPrefixesOfItsIdsOrThatOverlap() {
    Random rng = new Random(23);
    List<int[][]> turns = conversation(rng, 2);
    Sample first = turn(rng, turns.get(0)[0], turns.get(0)[1], 1.0);
    Sample second = turn(rng, turns.get(1)[0], turns.get(1)[1], 1.0);
    int[] ids = PackedSample.concat(second.promptIds(), second.outputIds());
    assertEquals(2, new PackedSample(ids, List.of(first, second)).turns().size());
    int[] other = ids.clone();
    other[first.promptLength()] += 1; // the first turn's first output token differs from the row's
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PackedSample(other, List.of(first, second)));
    assertTrue(e.getMessage().contains("turn 0's prompt and output are not a prefix"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PackedSample(ids, List.of(second, first)));
    assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PackedSample(ids, List.of()));
  }
}
