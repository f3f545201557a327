package dev.ludus.runner.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.runner.learn.PreferenceStats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPRL's step reward model: the trajectory-DPO loss is log 2 at π_φ = π_old, and the step rewards' laws. */
class OprlStepRewardTest {
  @TempDir static Path tmp;
  static Path dir;
  static final List<Episode> GROUP = ImplicitPrmTest.GROUP;

  @BeforeAll
  static void checkpoint() {
    dir = tmp.resolve("policy");
    try (LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(List.of("guess a number between 1 and 100",
        "higher lower correct 50 25 37 42 7"), 300);
        LanguageModel model = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 256, tokenizer.vocabSize()),
            "cpu", 5)) {
      model.save(dir);
      tokenizer.save(dir.resolve(LmTokenizer.FILE_NAME));
    }
  }

  static OprlStepReward open(double lr) {
    return OprlStepRewardShaperProvider.open(dir, new OprlStepRewardShaperProvider.Config(dir.toString(), 0.5, lr,
        true, "cpu", 0));
  }

  static double margin(OprlStepReward m, Episode e) {
    return ImplicitPrmTest.betaLogRatio(0.5, m.rows(e), m.prm(), m.old());
  }

  @Test
  void theLossIsLog2AndEveryStepRewardZeroWhileThePrmIsTheOldPolicy() {
    try (OprlStepReward m = open(1e-2)) {
      OprlStepReward.Scores s = m.score(List.of(GROUP));
      PreferenceStats step = s.step();
      assertNotNull(step);
      assertEquals(2, step.pairs(), "win over lose, win2 over lose");
      assertEquals(Math.log(2), step.loss(), 1e-5);
      for (double[] r : s.rewards().get(0)) {
        for (double v : r) {
          assertEquals(0.0, v, 1e-6);
        }
      }
    }
  }

  @Test
  void theStepRewardsSumToBetaTimesTheTrajectoryLogRatioAndTheStepsRaiseTheChosenMargin() {
    try (OprlStepReward m = open(1e-2)) {
      m.score(List.of(GROUP));
      double[] expected = GROUP.stream().mapToDouble(e -> margin(m, e)).toArray();
      OprlStepReward.Scores s = m.score(List.of(GROUP));
      for (int e = 0; e < GROUP.size(); e++) {
        double sum = Arrays.stream(s.rewards().get(0).get(e)).sum();
        assertTrue(Math.abs(expected[e]) > 1e-5, "the step moved the PRM");
        assertEquals(expected[e], sum, 1e-4 + 1e-3 * Math.abs(expected[e]));
      }
      // after two steps the winners' implicit reward is above the loser's
      assertTrue(margin(m, GROUP.get(0)) > margin(m, GROUP.get(1)));
      assertTrue(margin(m, GROUP.get(2)) > margin(m, GROUP.get(1)));
      assertTrue(s.step().loss() < Math.log(2), "loss " + s.step().loss());
    }
  }

  @Test
  void theShaperGivesEveryTurnAStepContribution() throws Exception {
    try (PluginContext.Owned context = PluginContext.standalone()) {
      GroupShaper shaper = (GroupShaper) new OprlStepRewardShaperProvider().create(
          new OprlStepRewardShaperProvider.Config(dir.toString(), null, null, false, null, 0), context);
      List<List<RewardContribution>> out = shaper.shapeGroup(GROUP).toCompletableFuture().get();
      for (int e = 0; e < GROUP.size(); e++) {
        assertEquals(GROUP.get(e).turns().size(), out.get(e).size());
        assertEquals("step", out.get(e).get(0).component());
      }
    }
  }
}
