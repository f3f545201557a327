package dev.ludus.runner.learn.advantage;

import static dev.ludus.runner.learn.advantage.Fixtures.assertClose;
import static dev.ludus.runner.learn.advantage.Fixtures.episode;
import static dev.ludus.runner.learn.advantage.Fixtures.rewards;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REINFORCE++ (E3) and turn-level PPO with GAE (E4), the estimators that whiten over the batch. */
class BatchEstimatorsTest {

  @Test
  void tokenReturns_rewardOnEachTurnsLastToken_discountedPerAgentToken() {
    // turn 1 has no tokens: its reward lands on the last token before it (turn 0's last)
    Episode e = episode("a").turn(2, 1).turnWithoutTrace(2).turn(1, 4).build();

    double[][] g = ReinforcePlusPlusEstimator.tokenReturns(Scored.of(e, 0), 0.5);

    assertArrayEquals(new double[] {2.5, 5}, g[0], 1e-12);
    assertArrayEquals(new double[] {}, g[1]);
    assertArrayEquals(new double[] {4}, g[2], 1e-12);
  }

  @Test
  void tokenReturns_rewardBeforeAnyAgentToken_hasNowhereToLand() {
    Episode e = episode("a").turnWithoutTrace(7).turn(1, 1).build();

    double[][] g = ReinforcePlusPlusEstimator.tokenReturns(Scored.of(e, 0), 1);

    assertArrayEquals(new double[] {1}, g[1], 1e-12);
  }

  @Test
  void reinforcePlusPlus_whitensOverTheWholeBatchNotPerGroup() {
    // two groups of one one-token episode: per-group whitening would give 0 to both
    AdvantageBatch batch = AdvantageBatch.of(List.of(List.of(rewards("a", 1)), List.of(rewards("b", 3))));

    List<TokenAdvantages> out = AdvantageEstimators.of("reinforce-plus-plus").estimate(batch);

    double scale = 1 / Math.sqrt(2 + 1e-8); // mean 2, Bessel variance 2
    assertClose(-scale, out.get(0).get(0, 0), "a");
    assertClose(scale, out.get(1).get(0, 0), "b");
  }

  @Test
  void reinforcePlusPlus_whiteningIsTokenWeighted() {
    Episode a = episode("a").turn(3, 0).turn(1, 2).build(); // returns 2, 2, 2, 2 with gamma 1
    Episode b = episode("b").turn(1, -2).build(); // return -2

    List<TokenAdvantages> out = AdvantageEstimators.of("reinforce-plus-plus").estimateGroup(List.of(a, b));

    double mean = (4 * 2 - 2) / 5.0;
    double var = (4 * Math.pow(2 - mean, 2) + Math.pow(-2 - mean, 2)) / 4;
    assertClose((2 - mean) / Math.sqrt(var + 1e-8), out.get(0).get(0, 2), "a");
    assertClose((-2 - mean) / Math.sqrt(var + 1e-8), out.get(1).get(0, 0), "b");
  }

  @Test
  void reinforcePlusPlusBaseline_subtractsTheGroupMeanThenWhitensOverTheBatch() {
    Episode a = rewards("a", 1);
    Episode b = rewards("b", 3);
    Episode c = episode("c").turn(2, 5).build(); // a group of one: mean taken as 0, as verl
    AdvantageBatch batch = AdvantageBatch.of(List.of(List.of(a, b), List.of(c)));

    List<TokenAdvantages> out =
        AdvantageEstimators.reinforcePlusPlus(ReinforcePlusPlusConfig.baselineVariant()).estimate(batch);

    // values -1, 1, 5, 5: mean 2.5, Bessel variance 27 / 3 = 9
    double s = Math.sqrt(9 + 1e-8);
    assertClose(-3.5 / s, out.get(0).get(0, 0), "a");
    assertClose(-1.5 / s, out.get(1).get(0, 0), "b");
    assertClose(2.5 / s, out.get(2).get(0, 1), "c");
  }

  @Test
  void reinforcePlusPlus_aLoneTokenInTheBatch_getsZero() {
    List<TokenAdvantages> out = AdvantageEstimators.of("reinforce-plus-plus").estimateGroup(List.of(rewards("a", 3)));

    assertEquals(0f, out.get(0).get(0, 0));
  }

  @Test
  void gae_handComputed_withValueTargets() {
    Episode e = rewards("a", 1, 0, 2);
    Map<String, double[]> values = Map.of("a", new double[] {0.5, 1, 1.5});
    TurnValues v = x -> values.get(x.id());

    TokenAdvantages out = AdvantageEstimators.ppoGae(new PpoGaeConfig(0.9, 0.8, false))
        .estimate(AdvantageBatch.ofGroup(List.of(e)).withValues(v)).get(0);

    // δ = 0.5, 0.35, 1.4 backwards; A2 = 0.5, A1 = 0.35 + 0.72 * 0.5, A0 = 1.4 + 0.72 * A1
    double a1 = 0.35 + 0.72 * 0.5;
    double a0 = 1.4 + 0.72 * a1;
    assertClose(a0, out.get(0, 0), "A0");
    assertClose(a1, out.get(1, 0), "A1");
    assertClose(0.5, out.get(2, 0), "A2");
    assertArrayEquals(new double[] {a0 + 0.5, a1 + 1, 0.5 + 1.5}, out.valueTargets(), 1e-12);
  }

  @Test
  void gae_oneValueMoreThanTurns_bootstrapsFromTheLast() {
    Episode e = rewards("a", 1, 0, 2);
    Map<String, double[]> values = Map.of("a", new double[] {0.5, 1, 1.5, 2});
    TurnValues v = x -> values.get(x.id());

    TokenAdvantages out = AdvantageEstimators.ppoGae(new PpoGaeConfig(0.9, 0.8, false))
        .estimate(AdvantageBatch.ofGroup(List.of(e)).withValues(v)).get(0);

    double a2 = 2 + 0.9 * 2 - 1.5;
    assertClose(a2, out.get(2, 0), "A2");
    assertClose(1.4 + 0.72 * (0.35 + 0.72 * a2), out.get(0, 0), "A0");
  }

  @Test
  void gae_whitenedByDefault_valueTargetsNot() {
    Episode a = episode("a").turn(2, 1).turn(1, 0).build();
    Episode b = rewards("b", 3);
    Map<String, double[]> values = Map.of("a", new double[] {0, 0}, "b", new double[] {1});
    TurnValues v = x -> values.get(x.id());

    List<TokenAdvantages> out =
        AdvantageEstimators.of("ppo-gae").estimate(AdvantageBatch.ofGroup(List.of(a, b)).withValues(v));

    double sum = 0;
    for (TokenAdvantages t : out) {
      for (float x : t.flatten()) {
        sum += x;
      }
    }
    assertEquals(0, sum, 1e-5);
    assertArrayEquals(new double[] {1, 0}, out.get(0).valueTargets(), 1e-12);
    assertArrayEquals(new double[] {3}, out.get(1).valueTargets(), 1e-12);
  }

  @Test
  void gae_withoutValues_isRejected() {
    AdvantageEstimator gae = AdvantageEstimators.of("ppo-gae");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> gae.estimateGroup(List.of(rewards("a", 1))));

    assertTrue(gae.needsValues());
    assertTrue(e.getMessage().contains("withValues"), e.getMessage());
  }

  @Test
  void gae_valuesOfTheWrongLength_areRejectedNamingTheEpisode() {
    AdvantageBatch batch = AdvantageBatch.ofGroup(List.of(rewards("short", 1, 2, 3))).withValues(e -> new double[1]);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdvantageEstimators.of("ppo-gae").estimate(batch));

    assertTrue(e.getMessage().contains("'short'") && e.getMessage().contains("3 or 4"), e.getMessage());
  }

  @Test
  void gae_nonFiniteValue_isRejected() {
    AdvantageBatch batch =
        AdvantageBatch.ofGroup(List.of(rewards("a", 1))).withValues(e -> new double[] {Double.POSITIVE_INFINITY});

    assertThrows(IllegalArgumentException.class, () -> AdvantageEstimators.of("ppo-gae").estimate(batch));
  }
}
