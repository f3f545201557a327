package dev.ludus.runner.learn.advantage;

import static dev.ludus.runner.learn.advantage.Fixtures.assertClose;
import static dev.ludus.runner.learn.advantage.Fixtures.episode;
import static dev.ludus.runner.learn.advantage.Fixtures.rewards;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GRPO (E1) and RLOO (E2) on hand-computed groups. */
class GroupEstimatorsTest {

  @Test
  void grpo_groupOfFour_dividesBySampleStdPlusEpsilon() {
    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimateGroup(
        List.of(rewards("a", 1), rewards("b", 0), rewards("c", 0), rewards("d", 1)));

    double std = Math.sqrt(1.0 / 3); // sample std of {1, 0, 0, 1}: sqrt(4 * 0.25 / 3)
    double[] expected = {0.5 / (std + 1e-6), -0.5 / (std + 1e-6), -0.5 / (std + 1e-6), 0.5 / (std + 1e-6)};
    for (int i = 0; i < 4; i++) {
      assertClose(expected[i], out.get(i).get(0, 0), "episode " + i);
      assertFalse(out.get(i).hasValueTargets());
    }
  }

  @Test
  void grpo_populationConvention_dividesByPopulationStd() {
    GrpoConfig population = new GrpoConfig(1e-6, StdConvention.POPULATION, true);

    List<TokenAdvantages> out = AdvantageEstimators.grpo(population).estimateGroup(
        List.of(rewards("a", 1), rewards("b", 0)));

    double std = Math.sqrt(0.25 + 1e-8);
    assertClose(0.5 / (std + 1e-6), out.get(0).get(0, 0), "a");
    assertClose(-0.5 / (std + 1e-6), out.get(1).get(0, 0), "b");
  }

  @Test
  void grpo_withoutStdScaling_onlySubtractsTheMean() {
    GrpoConfig drGrpo = new GrpoConfig(1e-6, StdConvention.SAMPLE, false);

    List<TokenAdvantages> out = AdvantageEstimators.grpo(drGrpo).estimateGroup(
        List.of(rewards("a", 3), rewards("b", 0), rewards("c", 0)));

    assertClose(2, out.get(0).get(0, 0), "a");
    assertClose(-1, out.get(1).get(0, 0), "b");
  }

  @Test
  void grpo_everyTokenOfEveryTurnGetsTheEpisodeAdvantage() {
    Episode a = episode("a").turn(3, 1).turn(2, 0.5).build();
    Episode b = episode("b").turn(1, 0).build();

    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimateGroup(List.of(a, b));

    float first = out.get(0).get(0, 0);
    assertTrue(first > 0);
    for (float x : out.get(0).flatten()) {
      assertEquals(first, x);
    }
    assertEquals(5, out.get(0).flatten().length);
  }

  @Test
  void grpo_groupOfOne_keepsItsOutcomeOverOnePlusEpsilonAsVerl() {
    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimateGroup(List.of(rewards("a", 2)));

    assertClose(2 / (1 + 1e-6), out.get(0).get(0, 0), "singleton");
  }

  @Test
  void grpo_failedEpisode_isDroppedAndDoesNotMoveTheBaseline() {
    Episode failed = episode("x").turn(1, 100).failed().build();

    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimateGroup(
        List.of(rewards("a", 1), failed, rewards("b", 0)));

    assertEquals(List.of("a", "b"), out.stream().map(t -> t.episode().id()).toList());
    assertClose(0.5 / (Math.sqrt(0.5) + 1e-6), out.get(0).get(0, 0), "a");
  }

  @Test
  void grpo_aGroupWhoseEpisodesAllFailed_givesNothingAndKeepsLaterGroupIndices() {
    Episode failed = episode("x").turn(1, 1).failed().build();

    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimate(
        AdvantageBatch.of(List.of(List.of(failed), List.of(rewards("a", 1), rewards("b", 2)))));

    assertEquals(2, out.size());
    assertEquals(1, out.get(0).group());
  }

  @Test
  void rloo_turnRewardIsTheSumOfTheLedgerValues_notTheEnvironmentsOwnReward() {
    // the fixture sets Turn.reward to 1000 everywhere: only the ledger may count
    Episode a = episode("a").turn(1, 0.5, 0.25).turn(1, 1).build();
    Episode b = episode("b").turn(2, 0).build();

    List<TokenAdvantages> out = AdvantageEstimators.of("rloo").estimateGroup(List.of(a, b));

    assertClose(1.75, out.get(0).get(1, 0), "a: 1.75 - 0");
    assertClose(-1.75, out.get(1).get(0, 1), "b: 0 - 1.75");
  }

  @Test
  void rloo_subtractsTheMeanOfTheOthers() {
    List<TokenAdvantages> out = AdvantageEstimators.rloo().estimateGroup(
        List.of(rewards("a", 1), rewards("b", 2), rewards("c", 3), rewards("d", 6)));

    assertClose(1 - 11.0 / 3, out.get(0).get(0, 0), "a");
    assertClose(6 - 2, out.get(3).get(0, 0), "d");
  }

  @Test
  void rloo_groupOfOne_keepsItsOutcomeAsVerl() {
    List<TokenAdvantages> out = AdvantageEstimators.rloo().estimateGroup(List.of(rewards("a", -2.5)));

    assertClose(-2.5, out.get(0).get(0, 0), "singleton");
  }

  @Test
  void turnWithoutTrace_getsNoTokensButItsRewardStillCounts() {
    Episode a = episode("a").turnWithoutTrace(4).turn(1, 0).build();
    Episode b = episode("b").turn(1, 0).build();

    List<TokenAdvantages> out = AdvantageEstimators.rloo().estimateGroup(List.of(a, b));

    assertEquals(0, out.get(0).tokens(0));
    assertClose(4, out.get(0).get(1, 0), "a");
  }

  @Test
  void nonFiniteTurnReward_isRejectedNamingTheEpisode() {
    Episode a = episode("bad").turn(1, Double.NaN).build();

    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> AdvantageEstimators.rloo().estimateGroup(List.of(a)));

    assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
  }
}
