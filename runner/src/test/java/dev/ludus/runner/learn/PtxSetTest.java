package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.runner.learn.LearnerConfig.LossAggregation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the PPO-ptx set's cost and coverage. A fixed-size draw of demonstration rows per update
 * ({@link LearnerConfig#ptxRows()}) keeps the term's expectation (loss and gradient) the whole set's; on-policy oracle
 * labels (DAgger, {@link PolicyLearner#addLabels}) join the term capped at {@link LearnerConfig#ptxLabels()}, as a
 * mean of their own at {@link LearnerConfig#ptxLabelWeight()}.
 */
class PtxSetTest {

  /** Demonstrations that never pack (random prompts), with 1 to 3 target tokens so the token weights differ. */
  private static List<Demonstration> demonstrations(long seed, int size) {
    Random rng = new Random(seed);
    List<Demonstration> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(new Demonstration(LearnFixtures.prompt(rng, 3 + rng.nextInt(4)),
          LearnFixtures.words(rng, 1 + rng.nextInt(3))));
    }
    return out;
  }

  /** Samples whose advantages are all 0: no policy gradient, so the gradient is the ptx term's alone. */
  private static List<Sample> zeroAdvantage(LanguageModel model, long seed) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : LearnFixtures.freshBatch(model, seed, 2)) {
      out.add(new Sample(s.promptIds(), s.outputIds(), s.behaviourLogProbs(), new float[s.outputLength()], null,
          model.version()));
    }
    return out;
  }

  /** Every k-subset of 0..n-1, ascending. */
  private static List<int[]> subsets(int n, int k) {
    List<int[]> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << n; mask++) {
      if (Integer.bitCount(mask) == k) {
        int[] s = new int[k];
        int j = 0;
        for (int i = 0; i < n; i++) {
          if ((mask & 1 << i) != 0) {
            s[j++] = i;
          }
        }
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void theDrawnPtxTermAveragedOverEveryDrawIsTheWholeSetsLossAndGradient() {
    for (LossAggregation aggregation : LossAggregation.values()) {
      List<Demonstration> demos = demonstrations(3, 5);
      LearnerConfig config = LearnerConfig.defaults().withPtxCoefficient(0.5).withPtxRows(2)
          .withAggregation(aggregation);
      try (LanguageModel m = LearnFixtures.model(71);
          PolicyLearner learner = new PolicyLearner(m, null, config);
          PolicyLearner whole = new PolicyLearner(m, null, config.withPtxRows(0))) {
        learner.setDemonstrations(demos);
        whole.setDemonstrations(demos);
        assertEquals(5, learner.ptxRows().size(), "random prompts do not pack: a row each");
        List<Sample> samples = zeroAdvantage(m, 7);
        PolicyLearner.Pass all = whole.backward(whole.ppoBatches(samples), false, whole.ptxBatches(0));
        float[][] allGradient = whole.gradients();
        whole.zeroGradients();
        List<int[]> draws = subsets(5, 2);
        double meanPtx = 0;
        float[][] meanGradient = null;
        for (int[] drawn : draws) {
          PolicyLearner.Pass pass = learner.backward(learner.ppoBatches(samples), false, learner.ptxBatches(drawn));
          assertTrue(Math.abs(pass.ptx - all.ptx) > 1e-6, "a draw alone is not the whole set's term");
          meanPtx += pass.ptx / draws.size();
          float[][] g = learner.gradients();
          learner.zeroGradients();
          if (meanGradient == null) {
            meanGradient = new float[g.length][];
            for (int i = 0; i < g.length; i++) {
              meanGradient[i] = new float[g[i].length];
            }
          }
          for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[i].length; j++) {
              meanGradient[i][j] += g[i][j] / draws.size();
            }
          }
        }
        assertEquals(all.ptx, meanPtx, 1e-5 * all.ptx, aggregation + ": the mean over draws is the whole set's NLL");
        PolicyLearnerTest.assertClose(allGradient, meanGradient, 1e-4);
      }
    }
  }

  @Test
  void eachUpdateDrawsEveryPairOfRowsAsOftenAsAnother() {
    Map<String, Integer> counts = new HashMap<>();
    int steps = 20_000;
    for (long step = 0; step < steps; step++) {
      int[] d = PolicyLearner.ptxDraw(5, 2, step);
      assertTrue(d[0] < d[1] && d[0] >= 0 && d[1] < 5, "distinct rows in range, ascending");
      counts.merge(d[0] + "," + d[1], 1, Integer::sum);
    }
    assertEquals(10, counts.size(), "every pair is drawn");
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      // 2,000 expected each; the binomial's standard deviation is 42
      assertTrue(Math.abs(e.getValue() - steps / 10) < 250, e.getKey() + " drawn " + e.getValue() + " times");
    }
    assertArrayEquals(PolicyLearner.ptxDraw(50, 8, 7), PolicyLearner.ptxDraw(50, 8, 7), "a step draws the same");
  }

  @Test
  void anUpdateWithPtxRowsReadsThatManyDemonstrationRowsAndWithoutReadsThemAll() {
    List<Demonstration> demos = new ArrayList<>();
    Random rng = new Random(5);
    for (int i = 0; i < 6; i++) {
      demos.add(new Demonstration(LearnFixtures.prompt(rng, 3 + rng.nextInt(4)), LearnFixtures.words(rng, 2)));
    }
    for (int rows : new int[] {0, 2}) {
      try (LanguageModel m = LearnFixtures.model(73);
          PolicyLearner learner = new PolicyLearner(m, null,
              LearnerConfig.defaults().withPtxCoefficient(1.0).withPtxRows(rows))) {
        learner.setDemonstrations(demos);
        UpdateStats s = learner.update(LearnFixtures.freshBatch(m, 11, 4));
        assertEquals(rows == 0 ? 12 : 4, s.ptxTokens(), "6 demonstrations of 2 target tokens, " + rows + " drawn");
        assertTrue(s.ptxLoss() > 0);
      }
    }
  }

  @Test
  void labelsJoinThePtxSetCappedAtTheNewestAndSurviveACheckpoint(@TempDir Path dir) {
    List<Demonstration> demos = demonstrations(13, 3);
    List<Demonstration> labels = demonstrations(17, 5);
    LearnerConfig config = LearnerConfig.defaults().withPtxCoefficient(1.0).withPtxLabels(3);
    try (LanguageModel m = LearnFixtures.model(75);
        PolicyLearner learner = new PolicyLearner(m, null, config);
        PolicyLearner none = new PolicyLearner(m, null, config.withPtxLabels(0))) {
      learner.setDemonstrations(demos);
      assertEquals(2, learner.addLabels(labels.subList(0, 2)));
      assertEquals(3, learner.addLabels(labels.subList(2, 5)), "capped at ptxLabels");
      assertEquals(labels.subList(2, 5), learner.labels(), "the newest kept, oldest first");
      assertEquals(demos, learner.demonstrations(), "the warm start's demonstrations are always kept");
      assertEquals(3, learner.ptxRows().size(), "the demonstrations' rows; the labels are a term of their own");
      UpdateStats s = learner.update(zeroAdvantage(m, 19));
      long labelTokens = labels.subList(2, 5).stream().mapToLong(d -> d.targetIds().length).sum();
      long demoTokens = demos.stream().mapToLong(d -> d.targetIds().length).sum();
      assertEquals(demoTokens + labelTokens, s.ptxTokens());
      none.setDemonstrations(demos);
      assertEquals(0, none.addLabels(labels), "ptxLabels 0 keeps none");
      learner.save(dir.resolve("ckpt"));
      try (LanguageModel again = LearnerCheckpoint.loadPolicy(dir.resolve("ckpt"), "cpu");
          PolicyLearner resumed = PolicyLearner.resume(dir.resolve("ckpt"), again, null, config)) {
        assertEquals(demos, resumed.demonstrations());
        assertEquals(labels.subList(2, 5), resumed.labels());
      }
    }
  }

  /**
   * The labels are their own term: the PPO-ptx loss is the demonstrations' mean NLL per token plus the labels' mean
   * times {@code ptxLabelWeight}, not one mean over both, so many badly fitted labels cannot outweigh the
   * demonstrations (issue 19: pooled, 1,024 labels at 1.2–1.7 nats did on the Mastermind plugin).
   */
  @Test
  void theLabelsAreATermOfTheirOwnAtTheirWeight() {
    List<Demonstration> demos = demonstrations(23, 3);
    List<Demonstration> labels = demonstrations(29, 6);
    LearnerConfig config = LearnerConfig.defaults().withPtxCoefficient(1.0).withPtxLabels(100)
        .withLabels(LearnerConfig.LabelSource.GREEDY_FAILURES, 0.25);
    try (LanguageModel m = LearnFixtures.model(77);
        PolicyLearner both = new PolicyLearner(m, null, config);
        PolicyLearner demosAlone = new PolicyLearner(m, null, config);
        PolicyLearner labelsAlone = new PolicyLearner(m, null, config)) {
      both.setDemonstrations(demos);
      both.addLabels(labels);
      demosAlone.setDemonstrations(demos);
      labelsAlone.setDemonstrations(labels);
      List<Sample> samples = zeroAdvantage(m, 31);
      double d = demosAlone.backward(demosAlone.ppoBatches(samples), false, demosAlone.ptxBatches(0)).ptx;
      double l = labelsAlone.backward(labelsAlone.ppoBatches(samples), false, labelsAlone.ptxBatches(0)).ptx;
      double term = both.backward(both.ppoBatches(samples), false, both.ptxBatches(0)).ptx;
      assertTrue(Math.abs(d - l) > 0.01, "the two sets fit differently, so a pooled mean would differ: " + d + " " + l);
      assertEquals(d + 0.25 * l, term, 1e-4, "demonstrations' mean + 0.25 × the labels' mean");
      try (PolicyLearner unweighted = new PolicyLearner(m, null, config.withLabels(
          LearnerConfig.LabelSource.GREEDY_FAILURES, 0))) {
        unweighted.setDemonstrations(demos);
        unweighted.addLabels(labels);
        assertEquals(d, unweighted.backward(unweighted.ppoBatches(samples), false, unweighted.ptxBatches(0)).ptx,
            1e-4, "weight 0 leaves the labels out");
      }
    }
  }
  /**
   * DAgger's retraining on the aggregate ({@link PolicyLearner#imitateAggregate}): a step draws from the demonstrations
   * and labels pooled, each label one more demonstration (not a term of its own), and fits both; with a batch of 0 it
   * reads the whole pool once. Issue 19: on frozen-lake the labels' own term dragged the policy.
   */
  @Test
  void anAggregateStepDrawsLabelsAsDemonstrationsAndFitsThemWithTheDemonstrations() {
    List<Demonstration> demos = demonstrations(37, 3);
    List<Demonstration> labels = demonstrations(41, 2);
    LearnerConfig config = LearnerConfig.defaults().withPtxCoefficient(1.0).withPtxLabels(100).withDaggerSteps(4);
    try (LanguageModel m = LearnFixtures.model(79);
        PolicyLearner learner = new PolicyLearner(m, null, config)) {
      assertEquals(null, learner.imitateAggregate(8, new java.util.SplittableRandom(1)), "nothing to imitate yet");
      learner.setDemonstrations(demos);
      learner.addLabels(labels);
      long poolTokens = java.util.stream.Stream.concat(demos.stream(), labels.stream())
          .mapToLong(d -> d.targetIds().length).sum();
      double demoLoss = learner.measureImitation(demos).loss();
      double labelLoss = learner.measureImitation(labels).loss();
      ImitationStats whole = learner.imitateAggregate(0, new java.util.SplittableRandom(1));
      assertEquals(5, whole.samples(), "a batch of 0 reads the 3 demonstrations and the 2 labels once each");
      assertEquals(poolTokens, whole.tokens());
      assertTrue(whole.applied());
      // a draw of 4 from a pool of 5: the labels are drawn like any demonstration (indices 3 and 4 of the pool)
      java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
      java.util.SplittableRandom same = new java.util.SplittableRandom(7);
      long expectedTokens = 0;
      boolean drewALabel = false;
      for (int i = 0; i < 4; i++) {
        int k = same.nextInt(5);
        drewALabel |= k >= 3;
        expectedTokens += (k < 3 ? demos.get(k) : labels.get(k - 3)).targetIds().length;
      }
      ImitationStats drawn = learner.imitateAggregate(4, rng);
      assertEquals(4, drawn.samples());
      assertEquals(expectedTokens, drawn.tokens(), "the draw is uniform over demonstrations and labels pooled");
      assertTrue(drewALabel, "this seed's draw holds a label, so the check above reads the labels' part of the pool");
      for (int i = 0; i < 20; i++) {
        learner.imitateAggregate(0, rng);
      }
      assertTrue(learner.measureImitation(labels).loss() < labelLoss, "the steps fit the labels");
      assertTrue(learner.measureImitation(demos).loss() < demoLoss, "and the demonstrations with them");
    }
  }
}
