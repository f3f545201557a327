package dev.ludus.runner.learn.advantage;

import static dev.ludus.runner.learn.advantage.Fixtures.assertClose;
import static dev.ludus.runner.learn.advantage.Fixtures.episode;
import static dev.ludus.runner.learn.advantage.Fixtures.rewards;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IGPO turn-level advantage (E5) on hand-computed groups. */
class IgpoEstimatorTest {

  @Test
  void jointPooling_normalizesAllTurnsOfTheGroupTogetherThenSumsFromEachTurn() {
    Episode a = episode("a").turn(2, 1).turn(2, 0).build();
    Episode b = episode("b").turn(1, 0).turn(3, 3).build();

    List<TokenAdvantages> out = AdvantageEstimators.of("igpo").estimateGroup(List.of(a, b));

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
  void aTurnRewardedExactlyZero_keepsItsBoundaryAndIsNormalized() {
    // in the reference code a zero reward is no boundary and stays 0; here turn 1 of "a" is its own turn
    Episode a = episode("a").turn(1, 1).turn(1, 0).build();
    Episode b = episode("b").turn(1, 0).turn(1, 3).build();
    IgpoConfig gammaZero = new IgpoConfig(0, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.JOINT);

    List<TokenAdvantages> out = AdvantageEstimators.igpo(gammaZero).estimateGroup(List.of(a, b));

    double s = Math.sqrt(1.5 + 1e-8) + 1e-6;
    assertClose(0, out.get(0).get(0, 0), "a turn 0: its own normalized reward only");
    assertClose(-1 / s, out.get(0).get(1, 0), "a turn 1");
  }

  @Test
  void separatePooling_normalizesLastTurnsAndEarlierTurnsApart() {
    Episode a = episode("a").turn(1, 0.5).turn(1, 1).build();
    Episode b = episode("b").turn(1, 1.5).turn(1, 0).build();
    IgpoConfig separate = new IgpoConfig(0.5, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.SEPARATE);

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
    List<TokenAdvantages> out = AdvantageEstimators.of("igpo").estimateGroup(List.of(rewards("a", 7)));

    assertEquals(0f, out.get(0).get(0, 0));
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
