package dev.ludus.shaping.combine;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardCombiner;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.Groups;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class EnsembleCombinerTest {
  private static final EnsembleCombinerProvider PROVIDER = new EnsembleCombinerProvider();

  private static RewardCombiner.Combination combine(String aggregate, double lambda, List<ComponentValues> cs) {
    return PROVIDER.create(new EnsembleCombinerProvider.Config(aggregate, lambda, 1e-4)).combine(cs);
  }

  /** Members over a group of 4 single-turn episodes; some cells empty. */
  @Provide
  Arbitrary<List<ComponentValues>> ensembles() {
    Arbitrary<Double> cell = Arbitraries.oneOf(Arbitraries.doubles().between(-10, 10), Arbitraries.just(Double.NaN),
        Arbitraries.of(0.0, 1.0));
    Arbitrary<ComponentValues> member = cell.array(double[].class).ofSize(4)
        .map(v -> component("m", 1.0, Groups.episodes("t", column(v)), column(v)));
    return member.list().ofMinSize(1).ofMaxSize(6).map(ms -> {
      List<Episode> episodes = ms.get(0).episodes();
      return java.util.stream.IntStream.range(0, ms.size())
          .mapToObj(k -> component("m" + k, 1.0, episodes, ms.get(k).values())).toList();
    });
  }

  @Property(tries = 300)
  void theMinimumIsAtMostTheMedianWhichIsAtMostTheLargestMember(@ForAll("ensembles") List<ComponentValues> ms) {
    double[][] shape = ms.get(0).values();
    double[][] min = Groups.turnRewards(combine("min", 0, ms), shape);
    double[][] median = Groups.turnRewards(combine("median", 0, ms), shape);
    for (int i = 0; i < shape.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (ComponentValues m : ms) {
        double z = GroupMath.zScoresPooled(m.values(), 1e-4)[i][0];
        if (!Double.isNaN(z)) {
          max = Math.max(max, z);
        }
      }
      if (max == Double.NEGATIVE_INFINITY) {
        continue; // no member has a value here
      }
      assertTrue(min[i][0] <= median[i][0] + 1e-12, min[i][0] + " > " + median[i][0]);
      assertTrue(median[i][0] <= max + 1e-12, median[i][0] + " > " + max);
    }
  }

  @Property(tries = 300)
  void theUncertaintyPenaltyNeverRaisesTheMean(@ForAll("ensembles") List<ComponentValues> ms,
      @ForAll @DoubleRange(min = 0, max = 10) double lambda) {
    double[][] shape = ms.get(0).values();
    double[][] mean = Groups.turnRewards(combine("mean", 0, ms), shape);
    double[][] penalized = Groups.turnRewards(combine("mean-minus-std", lambda, ms), shape);
    for (int i = 0; i < shape.length; i++) {
      assertTrue(penalized[i][0] <= mean[i][0] + 1e-12);
    }
  }

  @Test
  void theMeanIsSharedEquallyAndThePenaltyIsTheCombinersAdjustment() {
    List<Episode> episodes = Groups.episodes("t", column(0, 0));
    // z-scores: a → (−s, s), b → (s, −s) with s = 0.5 / (sample std 0.7071 + ε)
    List<ComponentValues> ms = List.of(component("a", 1.0, episodes, column(0, 1)),
        component("b", 1.0, episodes, column(1, 0)));
    double s = 0.5 / (Math.sqrt(0.5) + 1e-4);
    RewardCombiner.Combination mean = combine("mean", 0, ms);
    assertEquals(-s / 2, mean.contributions().get(0)[0][0], 1e-12);
    assertNull(mean.adjustment());
    RewardCombiner.Combination penalized = combine("mean-minus-std", 2, ms);
    assertEquals(-s / 2, penalized.contributions().get(0)[0][0], 1e-12);
    assertEquals(-2 * s, penalized.adjustment()[0][0], 1e-12); // population std of {−s, s} is s
  }

  @Test
  void theWorstMemberCarriesTheMinimumAndTheMiddleOneTheMedian() {
    List<Episode> episodes = Groups.episodes("t", column(0, 0, 0));
    List<ComponentValues> ms = List.of(component("a", 1.0, episodes, column(0, 1, 2)),
        component("b", 1.0, episodes, column(2, 1, 0)), component("c", 1.0, episodes, column(1, 1, 1)));
    RewardCombiner.Combination min = combine("min", 0, ms);
    assertEquals(-1.0, min.contributions().get(0)[0][0], 1e-3);
    assertEquals(0.0, min.contributions().get(1)[0][0], 0.0);
    assertEquals(0.0, min.contributions().get(2)[0][0], 0.0);
    RewardCombiner.Combination median = combine("median", 0, ms);
    assertEquals(0.0, median.contributions().get(0)[0][0], 0.0);
    assertEquals(0.0, median.contributions().get(2)[0][0], 0.0); // c is constant: z = 0, the median
    // episode 1: a and b both have z = 0 and c has 0: a three-way tie shares the minimum
    assertEquals(0.0, Groups.turnRewards(min, column(0, 0, 0))[1][0], 0.0);
  }

  @Test
  void aMetricIsNoMemberAndContributesNothing() {
    List<Episode> episodes = Groups.episodes("t", column(0, 0));
    List<ComponentValues> ms = List.of(component("a", 1.0, episodes, column(0, 1)),
        component("metric", 0.0, episodes, column(-100, 100)));
    RewardCombiner.Combination min = combine("min", 0, ms);
    assertEquals(0.0, min.contributions().get(1)[0][0], 0.0);
    assertEquals(min.contributions().get(0)[0][0], Groups.turnRewards(min, column(0, 0))[0][0], 0.0);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new EnsembleCombinerProvider.Config("max", 1, 1e-4));
    assertEquals("aggregate must be one of mean, median, min, mean-minus-std, was 'max'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EnsembleCombinerProvider.Config("mean", -1, 1e-4));
    assertEquals("lambda must be a number in [0, 100], was -1.0", e.getMessage());
  }

  @Test
  void throughThePipelineTheContributionsAndThePenaltySumToTheTurnReward() {
    double[][] a = {{0, 1}, {2}};
    double[][] b = {{3, 3}, {Double.NaN}};
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 1.0)
        .shaper("b", Groups.table("b", b), 1.0)
        .combiner("ensemble", PROVIDER.create(new EnsembleCombinerProvider.Config("mean-minus-std", 1.0, 0)))
        .build();
    List<Episode> scored = pipeline.score(Groups.episodes("task-1", a));
    // a over {0, 1, 2}: mean 1, sample std 1 → z = (−1, 0; 1); b constant → z = 0
    double[][] va = {{-0.5, 0}, {1}};
    double[][] vb = {{0, 0}, {Double.NaN}};
    double[][] reward = {{-0.5 - 0.5, 0}, {1}};
    Groups.assertLedger(scored, Map.of("a", a, "b", b), Map.of("a", va, "b", vb), reward);
    assertEquals(-0.5, scored.get(0).ledger().stream().filter(e -> e.source().equals("combiner:ensemble"))
        .findFirst().orElseThrow().value(), 0.0);
  }

  @Test
  void membersRestrictTheEnsembleToTheNamedAliasesAndTheOthersKeepTheirWeight() {
    double[][] outcome = {{0, 1}, {0}};
    double[][] a = {{0, 1}, {2}};
    double[][] b = {{2, 1}, {0}};
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("outcome", Groups.table("outcome", outcome), 2.0)
        .shaper("judge-a", Groups.table("j", a), 1.0)
        .shaper("judge-b", Groups.table("j", b), 1.0)
        .combiner("ensemble", PROVIDER.create(new EnsembleCombinerProvider.Config("min", 1.0, 0,
            List.of("judge-a", "judge-b/j"))))
        .build();
    List<Episode> scored = pipeline.score(Groups.episodes("task-1", a));
    // judge-a: z = (−1, 0; 1); judge-b over {2, 1, 0}: z = (1, 0; −1); min per turn: a, tie (0 each), b
    double[][] reward = {{2 * 0 - 1, 2 * 1 + 0}, {2 * 0 - 1}};
    for (int i = 0; i < scored.size(); i++) {
      double[] r = ShapingPipeline.turnRewards(scored.get(i));
      for (int t = 0; t < r.length; t++) {
        assertEquals(reward[i][t], r[t], 1e-12, "episode " + i + " turn " + t);
      }
    }
    assertEquals(2.0, scored.get(0).ledger().stream().filter(e -> e.source().equals("outcome") && e.turn() == 1)
        .findFirst().orElseThrow().value(), 0.0, "the outcome is not a member: weight times value");
  }
}
