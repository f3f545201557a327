package dev.ludus.runner.learn.advantage;

import static dev.ludus.runner.learn.advantage.Fixtures.assertClose;
import static dev.ludus.runner.learn.advantage.Fixtures.episode;
import static dev.ludus.runner.learn.advantage.Fixtures.rewards;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The IGPO turn-level advantage (E5) on hand-computed groups. */
class IgpoEstimatorTest {
  private static final IgpoConfig CODE_FORM = IgpoConfig.defaults().withBaseline(IgpoConfig.Baseline.REWARDS);

  /**
   * Issue 19: with outcome-only rewards, IGPO as its code computes it (joint pooling, normalize then sum) gave
   * mean advantages of +0.63, +1.08, +1.15 at turns 1, 2, 3 in guess-number, reinforcing any late action. Here the
   * outcome is independent of how many turns an episode took; the default estimator's mean advantage at every turn
   * index is 0, while the code's form grows with the turn index.
   */
  @Test
  void outcomeOnlyAdvantagesAreUnbiasedByTurnIndex_issue19() {
    Random rng = new Random(19);
    List<List<Episode>> groups = new ArrayList<>();
    for (int g = 0; g < 200; g++) {
      List<Episode> group = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int turns = 1 + rng.nextInt(4);
        double outcome = rng.nextDouble() < 0.3 ? 1 : 0;
        double[] r = new double[turns];
        r[turns - 1] = outcome;
        group.add(rewards("g" + g + "e" + i, r));
      }
      groups.add(group);
    }
    AdvantageBatch batch = AdvantageBatch.of(groups);

    AdvantageStats fixed = AdvantageStats.of(AdvantageEstimators.of("igpo").estimate(batch));
    AdvantageStats code = AdvantageStats.of(AdvantageEstimators.igpo(CODE_FORM).estimate(batch));

    for (int t = 0; t < 4; t++) {
      assertEquals(0, fixed.meanByTurn()[t], 1e-6, "turn " + (t + 1) + ": " + fixed);
    }
    double[] biased = code.meanByTurn();
    assertTrue(biased[1] > biased[0] + 0.1 && biased[2] > biased[1] + 0.1 && biased[3] > biased[2] + 0.1,
        "the code's form is biased upward with the turn index: " + Arrays.toString(biased));
  }

  @Test
  void turnIndexBaseline_comparesEachReturnWithTheGroupsReturnsAtTheSameTurnThenScalesOnce() {
    Episode a = episode("a").turn(2, 1).turn(2, 0).build();
    Episode b = episode("b").turn(1, 0).turn(3, 3).build();
    Episode c = episode("c").turn(1, 2).build();

    List<TokenAdvantages> out = AdvantageEstimators.of("igpo").estimateGroup(List.of(a, b, c));

    // returns-to-go: a {1, 0}, b {3, 3}, c {2}; turn 0 mean 2 -> {-1, 1, 0}; turn 1 mean 1.5 -> {-1.5, 1.5}
    double s = Math.sqrt((1 + 1 + 0 + 2.25 + 2.25) / 5 + 1e-8) + 1e-6;
    double[][] expected = {{-1 / s, -1.5 / s}, {1 / s, 1.5 / s}, {0}};
    for (int i = 0; i < 3; i++) {
      for (int t = 0; t < expected[i].length; t++) {
        for (int k = 0; k < out.get(i).tokens(t); k++) {
          assertClose(expected[i][t], out.get(i).get(t, k), "episode " + i + " turn " + t + " token " + k);
        }
      }
    }
  }

  @Test
  void turnIndexBaseline_aTurnOnlyOneEpisodeReachedGetsZero() {
    Episode shortOne = rewards("short", 1);
    Episode longOne = rewards("long", 0, 0, 5);

    List<TokenAdvantages> out = AdvantageEstimators.of("igpo").estimateGroup(List.of(shortOne, longOne));

    assertEquals(0f, out.get(1).get(1, 0), "turn 1: no other episode to compare with");
    assertEquals(0f, out.get(1).get(2, 0));
    assertTrue(out.get(1).get(0, 0) > 0 && out.get(0).get(0, 0) < 0, "turn 0: return 5 against return 1");
  }

  @Test
  void turnIndexBaseline_separatePoolingPutsTheOutcomeAndTheEarlierRewardsOnOneScale() {
    // earlier-turn rewards are 100 times the outcomes; scaled per pool, they weigh alike
    Episode a = episode("a").turn(1, 100).turn(1, 1).build();
    Episode b = episode("b").turn(1, 300).turn(1, 0).build();
    IgpoConfig separate = new IgpoConfig(1, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.SEPARATE);

    List<TokenAdvantages> out = AdvantageEstimators.igpo(separate).estimateGroup(List.of(a, b));

    // earlier pool {100, 300} / rms(223.6) = {0.447, 1.342}; last pool {1, 0} / rms(0.707) = {1.414, 0}
    double rmsEarlier = Math.sqrt((100 * 100 + 300 * 300) / 2.0);
    double rmsLast = Math.sqrt(0.5);
    double ga0 = 100 / rmsEarlier + 1 / rmsLast;
    double gb0 = 300 / rmsEarlier;
    double ga1 = 1 / rmsLast;
    double gb1 = 0;
    double[] c = {ga0 - (ga0 + gb0) / 2, gb0 - (ga0 + gb0) / 2, ga1 - (ga1 + gb1) / 2, gb1 - (ga1 + gb1) / 2};
    double s = Math.sqrt(Arrays.stream(c).map(x -> x * x).sum() / 4 + 1e-8) + 1e-6;
    assertClose(c[0] / s, out.get(0).get(0, 0), "a turn 0");
    assertClose(c[1] / s, out.get(1).get(0, 0), "b turn 0");
    assertClose(c[2] / s, out.get(0).get(1, 0), "a turn 1");
    assertClose(c[3] / s, out.get(1).get(1, 0), "b turn 1");
  }

  @Test
  void codeForm_jointPooling_normalizesAllTurnsOfTheGroupTogetherThenSumsFromEachTurn() {
    Episode a = episode("a").turn(2, 1).turn(2, 0).build();
    Episode b = episode("b").turn(1, 0).turn(3, 3).build();

    List<TokenAdvantages> out = AdvantageEstimators.igpo(CODE_FORM).estimateGroup(List.of(a, b));

    // pool {1, 0, 0, 3}: mean 1, population variance 1.5
    double s = Math.sqrt(1.5 + 1e-8) + 1e-6;
    double[][] normalized = {{0, -1 / s}, {-1 / s, 2 / s}};
    double[][] expected = {
      {normalized[0][0] + normalized[0][1], normalized[0][1]},
      {normalized[1][0] + normalized[1][1], normalized[1][1]}
    };
    for (int i = 0; i < 2; i++) {
      for (int t = 0; t < 2; t++) {
        for (int k = 0; k < out.get(i).tokens(t); k++) {
          assertClose(expected[i][t], out.get(i).get(t, k), "episode " + i + " turn " + t + " token " + k);
        }
      }
    }
  }

  @Test
  void codeForm_aTurnRewardedExactlyZero_keepsItsBoundaryAndIsNormalized() {
    // in the reference code a zero reward is no boundary and stays 0; here turn 1 of "a" is its own turn
    Episode a = episode("a").turn(1, 1).turn(1, 0).build();
    Episode b = episode("b").turn(1, 0).turn(1, 3).build();
    IgpoConfig gammaZero = new IgpoConfig(0, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.JOINT,
        IgpoConfig.Baseline.REWARDS);

    List<TokenAdvantages> out = AdvantageEstimators.igpo(gammaZero).estimateGroup(List.of(a, b));

    double s = Math.sqrt(1.5 + 1e-8) + 1e-6;
    assertClose(0, out.get(0).get(0, 0), "a turn 0: its own normalized reward only");
    assertClose(-1 / s, out.get(0).get(1, 0), "a turn 1");
  }

  @Test
  void codeForm_separatePooling_normalizesLastTurnsAndEarlierTurnsApart() {
    Episode a = episode("a").turn(1, 0.5).turn(1, 1).build();
    Episode b = episode("b").turn(1, 1.5).turn(1, 0).build();
    IgpoConfig separate = new IgpoConfig(0.5, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.SEPARATE,
        IgpoConfig.Baseline.REWARDS);

    List<TokenAdvantages> out = AdvantageEstimators.igpo(separate).estimateGroup(List.of(a, b));

    // last turns {1, 0} and earlier turns {0.5, 1.5} each normalize to {+1, -1} and {-1, +1}
    double one = 0.5 / (Math.sqrt(0.25 + 1e-8) + 1e-6);
    assertClose(-one + 0.5 * one, out.get(0).get(0, 0), "a turn 0");
    assertClose(one, out.get(0).get(1, 0), "a turn 1");
    assertClose(one - 0.5 * one, out.get(1).get(0, 0), "b turn 0");
    assertClose(-one, out.get(1).get(1, 0), "b turn 1");
  }

  @Test
  void aPoolOfOne_normalizesToZeroAsTheCode() {
    for (IgpoConfig c : List.of(IgpoConfig.defaults(), CODE_FORM)) {
      List<TokenAdvantages> out = AdvantageEstimators.igpo(c).estimateGroup(List.of(rewards("a", 7)));
      assertEquals(0f, out.get(0).get(0, 0), c.baseline().toString());
    }
  }

  @Test
  void withDefaults_igpoUsesPopulationStdAndGrpoSampleStd_soTheyDifferUnlessAligned() {
    List<Episode> group = List.of(rewards("a", 1), rewards("b", 0));

    float igpo = AdvantageEstimators.of("igpo").estimateGroup(group).get(0).get(0, 0);
    float grpo = AdvantageEstimators.of("grpo").estimateGroup(group).get(0).get(0, 0);
    float aligned = AdvantageEstimators.grpo(new GrpoConfig(1e-6, StdConvention.POPULATION, true))
        .estimateGroup(group).get(0).get(0, 0);

    assertClose(1, igpo, "population");
    assertClose(Math.sqrt(0.5), grpo, "sample");
    assertEquals(igpo, aligned);
  }
}
