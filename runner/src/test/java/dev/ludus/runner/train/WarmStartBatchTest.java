package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code warmStartBatch}: warm-start steps on seeded draws of the demonstrations (issue 19). */
class WarmStartBatchTest {
  private static final int WORDS = 20;
  private static final int VOCAB = LmTokenizer.SPECIAL_TOKENS.size() + WORDS;

  @Test
  void theDrawsCoverEveryDemonstrationOncePerEpoch() {
    WarmStarter.Draws draws = new WarmStarter.Draws(10, 3, new Random(5));
    assertEquals(4, draws.perEpoch(), "ceil(10 / 3) draws per epoch");
    List<List<Integer>> firstDraws = new ArrayList<>();
    for (int epoch = 0; epoch < 5; epoch++) {
      List<Integer> seen = new ArrayList<>();
      for (int d = 0; d < draws.perEpoch(); d++) {
        List<Integer> draw = draws.next();
        assertTrue(draw.size() >= 2 && draw.size() <= 3, "near-equal draws of at most 3: " + draw);
        assertEquals(d == draws.perEpoch() - 1, draws.epochEnded(), "only the epoch's last draw ends it");
        if (d == 0) {
          firstDraws.add(draw);
        }
        seen.addAll(draw);
      }
      assertEquals(10, seen.size(), "epoch " + epoch + ": " + seen);
      assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), new HashSet<>(seen), "epoch " + epoch + " draws each once");
      assertEquals(epoch + 1, draws.epochs());
    }
    assertTrue(new HashSet<>(firstDraws).size() > 1, "each epoch is shuffled afresh: " + firstDraws);
  }

  @Test
  void theDrawsAreSeeded() {
    WarmStarter.Draws a = new WarmStarter.Draws(50, 8, new Random(11));
    WarmStarter.Draws b = new WarmStarter.Draws(50, 8, new Random(11));
    WarmStarter.Draws c = new WarmStarter.Draws(50, 8, new Random(12));
    List<List<Integer>> ofA = new ArrayList<>();
    List<List<Integer>> ofC = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      List<Integer> next = a.next();
      assertEquals(next, b.next(), "the same seed draws the same");
      ofA.add(next);
      ofC.add(c.next());
    }
    assertNotEquals(ofA, ofC, "another seed draws otherwise");
  }

  /**
   * Batch 0 (or more than half the demonstrations' count) takes the warm start's old path: every demonstration at
   * every step. Compared with a tolerance of 1e-6 rather than bit for bit, as two identical models stepped in turn on this
   * engine have differed in the last bits under load; a draw of 2 moves the loss by far more.
   */
  @Test
  void theDrawsDependOnTheDemonstrationsNotOnTheOrderTheyWereRecordedIn() {
    List<Demonstration> demos = demonstrations(7, 24);
    List<Demonstration> shuffled = new ArrayList<>(demos);
    java.util.Collections.shuffle(shuffled, new Random(9));
    List<Demonstration> a = WarmStarter.canonical(demos);
    List<Demonstration> b = WarmStarter.canonical(shuffled);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).promptIds(), b.get(i).promptIds(), "demonstration " + i);
      assertArrayEquals(a.get(i).targetIds(), b.get(i).targetIds(), "demonstration " + i);
    }
  }

  @Test
  void batchZeroStepsOnEveryDemonstrationAsBefore() {
    List<Demonstration> demos = demonstrations(6, 21);
    double full = Double.NaN;
    for (int batch : new int[] {0, 6, 100, 4, 2}) { // 4 of 6: more than half, one full draw an epoch
      try (LanguageModel a = model(81);
          LanguageModel b = model(81);
          PolicyLearner viaFit = new PolicyLearner(a, null, LearnerConfig.defaults());
          PolicyLearner before = new PolicyLearner(b, null, LearnerConfig.defaults())) {
        WarmStarter.Fit fit = WarmStarter.fit(new WarmStarter.Rule(3, 0, 0, batch), viaFit, demos, 0, null,
            new Random(1));
        ImitationStats last = null;
        for (int i = 0; i < 3; i++) { // the warm start before warmStartBatch: every demonstration, every step
          last = before.imitate(demos);
        }
        assertEquals(3, fit.steps(), "batch " + batch);
        assertEquals(3, viaFit.steps());
        if (batch == 2) {
          assertTrue(Math.abs(fit.last().loss() - full) > 1e-3, "draws of 2 step otherwise: " + fit.last().loss()
              + " vs " + full);
          continue;
        }
        full = last.loss();
        assertEquals(last.loss(), fit.last().loss(), 1e-6, "batch " + batch + ": the same loss");
        assertEquals(last.tokenAccuracy(), fit.last().tokenAccuracy(), 0.0);
        assertTrue(fit.last().applied(), "the last figures are a step's, as before");
        float[][] pa = parameters(a);
        float[][] pb = parameters(b);
        for (int i = 0; i < pa.length; i++) {
          assertArrayEquals(pb[i], pa[i], 1e-6f, "batch " + batch + ": parameter " + i);
        }
      }
    }
  }

  @Test
  void withABatchTheFittedCheckMeasuresAllDemonstrationsOncePerEpoch() {
    List<Demonstration> demos = demonstrations(6, 22);
    try (LanguageModel m = model(82);
        PolicyLearner learner = new PolicyLearner(m, null, config())) {
      WarmStarter.Fit fit = WarmStarter.fit(new WarmStarter.Rule(600, 1.0, 0, 2), learner, demos, 0, null,
          new Random(3));
      assertTrue(fit.stopped().startsWith("fitted"), fit.stopped());
      assertEquals(0, fit.steps() % 3, "the check runs at the end of an epoch of 3 draws of 2: " + fit.steps());
      assertEquals(fit.steps(), learner.steps(), "warmStartSteps counts optimizer steps, one a draw");
      assertFalse(fit.last().applied(), "the last figures were measured without a step");
      assertEquals(demos.size(), fit.last().samples(), "on every demonstration, not on the draw");
      assertEquals(2, fit.first().samples(), "the first step imitated a draw of 2");
      assertEquals(1.0, learner.measureImitation(demos).tokenAccuracy(), 0.0, "fitted on all of them");
    }
  }

  @Test
  void aStepLimitInsideAnEpochStillReportsFiguresOnAllDemonstrations() {
    List<Demonstration> demos = demonstrations(6, 23);
    try (LanguageModel m = model(83);
        PolicyLearner learner = new PolicyLearner(m, null, config())) {
      WarmStarter.Fit fit = WarmStarter.fit(new WarmStarter.Rule(4, 1.0, 0, 2), learner, demos, 0, null,
          new Random(3));
      assertEquals(4, fit.steps());
      assertTrue(fit.stopped().startsWith("the step limit"), fit.stopped());
      assertEquals(demos.size(), fit.last().samples());
      assertFalse(fit.last().applied());
    }
  }

  /**
   * Draws keep a few tokens flipping, so a fit on draws rarely reaches token accuracy 1.0 (0.975 to 0.990 on sokoban
   * and frozen-lake) and ran to its step limit every time: it now stops once the loss on all demonstrations no
   * longer falls. Not on the loss target alone, which it passes long before (a fit stopped there on frozen-lake held
   * out 0.813 against 0.906). Here two demonstrations share each prompt and differ in their first target token, so no
   * policy predicts every token.
   */
  @Test
  void withABatchAFitStopsAtAPlateauOfItsLossNotAtItsLossTarget() {
    List<Demonstration> demos = contradicting(4, 25);
    try (LanguageModel m = model(85);
        PolicyLearner learner = new PolicyLearner(m, null, config())) {
      WarmStarter.Fit fit = WarmStarter.fit(new WarmStarter.Rule(3000, 1.0, 1.2, 3), learner, demos, 0, null,
          new Random(3));
      assertTrue(fit.stopped().startsWith("a plateau"), fit.stopped());
      assertTrue(fit.steps() < 3000, "stopped before the step limit: " + fit.steps());
      assertTrue(fit.last().tokenAccuracy() < 1.0, fit.last().tokenAccuracy() + "");
      assertTrue(fit.last().loss() < 1.0, "well past the loss target of 1.2: " + fit.last().loss());
      assertEquals(demos.size(), fit.last().samples(), "measured on every demonstration");
    }
  }

  @Test
  void thePlateauNeedsFiveEpochsWithoutAOnePercentGain() {
    WarmStarter.Plateau p = new WarmStarter.Plateau();
    assertFalse(p.reached(1.0));
    assertFalse(p.reached(0.5), "a gain");
    for (double loss : new double[] {0.499, 0.498, 0.497, 0.496}) {
      assertFalse(p.reached(loss), "under 1% below the best 0.5: epoch " + loss);
    }
    assertTrue(p.reached(0.4955), "the fifth epoch without a 1% gain");
    WarmStarter.Plateau q = new WarmStarter.Plateau();
    q.reached(1.0);
    for (int i = 0; i < 20; i++) {
      assertFalse(q.reached(0.98 * Math.pow(0.98, i)), "2% an epoch is a gain every epoch: epoch " + i);
    }
  }

  /** Accuracy 0 runs exactly {@code warmStartSteps}, with draws too: neither the loss nor a plateau stops it. */
  @Test
  void withABatchAccuracyZeroStillRunsEveryStep() {
    List<Demonstration> demos = contradicting(4, 26);
    try (LanguageModel m = model(86);
        PolicyLearner learner = new PolicyLearner(m, null, config())) {
      WarmStarter.Fit fit = WarmStarter.fit(new WarmStarter.Rule(24, 0, 5.0, 3), learner, demos, 0, null,
          new Random(3));
      assertEquals(24, fit.steps(), "the loss target (5.0, above the first loss) did not stop it");
      assertTrue(fit.stopped().startsWith("the step limit"), fit.stopped());
    }
  }

  /** {@code warmStartSchedule: cosine}: a linear warm-up over 5% of the steps, then a cosine decay to a tenth. */
  @Test
  void theCosineRateWarmsUpThenDecaysToATenthAtTheLastStep() {
    double base = 2e-3;
    WarmStarter.Rule cosine = new WarmStarter.Rule(100, 0, 0, 64, true);
    assertEquals(base / 5, cosine.rate(0, base), 1e-15, "warm-up over ceil(0.05 * 100) = 5 steps: a fifth first");
    assertEquals(3 * base / 5, cosine.rate(2, base), 1e-15);
    assertEquals(base, cosine.rate(4, base), 1e-15, "the full rate at the warm-up's last step");
    assertEquals(base, cosine.rate(5, base), 1e-15, "the decay starts at the full rate");
    assertEquals(0.55 * base, cosine.rate(52, base), 1e-15, "halfway through the decay (47 of 94): 0.1 + 0.9 / 2");
    assertEquals(0.1 * base, cosine.rate(99, base), 1e-15, "a tenth at the last step");
    assertEquals(0.1 * base, cosine.rate(150, base), 1e-15, "and after it (a later round's steps)");
    for (int k = 5; k < 99; k++) {
      assertTrue(cosine.rate(k + 1, base) < cosine.rate(k, base), "falls every step after the warm-up: " + k);
    }
    WarmStarter.Rule constant = new WarmStarter.Rule(100, 0, 0, 64);
    for (int k : new int[] {0, 4, 52, 99}) {
      assertEquals(base, constant.rate(k, base), 0.0, "constant: step " + k);
    }
    WarmStarter.Rule one = new WarmStarter.Rule(1, 0, 0, 0, true);
    assertEquals(base, one.rate(0, base), 1e-15, "a single step warms up to the full rate");
  }

  /** A cosine fit steps at {@link WarmStarter.Rule#rate}, not at the learner's constant imitation rate. */
  @Test
  void aCosineFitStepsAtTheScheduledRates() {
    List<Demonstration> demos = demonstrations(6, 27);
    WarmStarter.Rule cosine = new WarmStarter.Rule(4, 0, 0, 0, true);
    double base = config().imitationLearningRate();
    try (LanguageModel a = model(87);
        LanguageModel b = model(87);
        LanguageModel c = model(87);
        PolicyLearner viaFit = new PolicyLearner(a, null, config());
        PolicyLearner byHand = new PolicyLearner(b, null, config());
        PolicyLearner constant = new PolicyLearner(c, null, config())) {
      WarmStarter.Fit fit = WarmStarter.fit(cosine, viaFit, demos, 0, null, new Random(1));
      WarmStarter.fit(new WarmStarter.Rule(4, 0, 0, 0), constant, demos, 0, null, new Random(1));
      for (int k = 0; k < 4; k++) {
        byHand.imitate(demos, cosine.rate(k, base));
      }
      assertEquals(4, fit.steps());
      float[][] pa = parameters(a);
      float[][] pb = parameters(b);
      float[][] pc = parameters(c);
      double apart = 0;
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pb[i], pa[i], 1e-6f, "parameter " + i + ": the scheduled rates");
        for (int j = 0; j < pa[i].length; j++) {
          apart = Math.max(apart, Math.abs(pa[i][j] - pc[i][j]));
        }
      }
      assertTrue(apart > 1e-4, "the constant rate steps otherwise: " + apart);
    }
  }

  @Test
  void aNegativeBatchIsRefusedByName() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read("warmStartBatch: -1"));
    assertTrue(e.getMessage().contains("warmStartBatch must be at least 0") && e.getMessage().contains("-1"),
        e.getMessage());
    assertEquals(Recipe.WARM_START_BATCH, TrainConfig.read(null).warmStartBatch(), "the recipe draws 64");
    assertEquals(64, Recipe.WARM_START_BATCH);
    assertEquals(64, TrainConfig.read("warmStartBatch: 64").warmStartBatch());
  }

  private static LearnerConfig config() {
    return LearnerConfig.defaults().withImitationLearningRate(1e-2);
  }

  private static LanguageModel model(long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64, VOCAB), "cpu", seed);
  }

  /** {@code n} short demonstrations: {@code <bos> <user> words <assistant>} then 2-4 words. */
  private static List<Demonstration> demonstrations(int n, long seed) {
    Random rng = new Random(seed);
    List<Demonstration> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] prompt = new int[3 + 2 + rng.nextInt(3)];
      prompt[0] = 1;
      prompt[1] = 5;
      for (int j = 2; j < prompt.length - 1; j++) {
        prompt[j] = word(rng);
      }
      prompt[prompt.length - 1] = 6;
      int[] target = new int[2 + rng.nextInt(3)];
      for (int j = 0; j < target.length; j++) {
        target[j] = word(rng);
      }
      out.add(new Demonstration(prompt, target));
    }
    return out;
  }

  /** {@link #demonstrations} twice over: each prompt a second time with another first target token. */
  private static List<Demonstration> contradicting(int n, long seed) {
    List<Demonstration> out = new ArrayList<>();
    for (Demonstration d : demonstrations(n, seed)) {
      out.add(d);
      int[] other = d.targetIds().clone();
      other[0] = LmTokenizer.SPECIAL_TOKENS.size() + (other[0] - LmTokenizer.SPECIAL_TOKENS.size() + 1) % WORDS;
      out.add(new Demonstration(d.promptIds(), other));
    }
    return out;
  }

  private static int word(Random rng) {
    return LmTokenizer.SPECIAL_TOKENS.size() + rng.nextInt(WORDS);
  }

  /** Every parameter of {@code model}, copied. */
  static float[][] parameters(LanguageModel model) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : model.parameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out.toArray(new float[0][]);
  }
}
