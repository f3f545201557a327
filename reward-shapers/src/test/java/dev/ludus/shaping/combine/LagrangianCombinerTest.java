package dev.ludus.shaping.combine;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardCombiner;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.Groups;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class LagrangianCombinerTest {
  private static final LagrangianCombinerProvider PROVIDER = new LagrangianCombinerProvider();

  private static LagrangianCombinerProvider.Lagrangian combiner(Map<String, Double> thresholds, double logit) {
    return (LagrangianCombinerProvider.Lagrangian) PROVIDER.create(
        new LagrangianCombinerProvider.Config(thresholds, 0.1, 0.1, logit));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Property(tries = 300)
  void oneStepLowersTheMultiplierOfAComponentAboveItsThresholdAndRaisesOneBelow(
      @ForAll @DoubleRange(min = -5, max = 5) double logit,
      @ForAll @DoubleRange(min = -10, max = 10) double threshold,
      @ForAll @DoubleRange(min = -10, max = 10) double value) {
    Assume.that(Math.abs(value - threshold) > 1e-2);
    LagrangianCombinerProvider.Lagrangian c = combiner(Map.of("a", threshold), logit);
    double before = c.multiplier("a");
    c.combine(List.of(component("a", 1.0, column(value, value))));
    double after = c.multiplier("a");
    if (value > threshold) {
      assertTrue(after < before, "Ĵ above θ: λ must fall, was " + before + " → " + after);
    } else {
      assertTrue(after > before, "Ĵ below θ: λ must rise, was " + before + " → " + after);
    }
  }

  @Test
  void aGroupIsWeightedWithTheMultiplierAsItStandsAndTheNextWithTheUpdatedOne() {
    LagrangianCombinerProvider.Lagrangian c = combiner(Map.of("a", 0.0), 0.0);
    double first = c.combine(List.of(component("a", 1.0, column(1, 1)))).contributions().get(0)[0][0];
    assertEquals(0.5, first, 0.0);
    double second = c.combine(List.of(component("a", 1.0, column(1, 1)))).contributions().get(0)[0][0];
    assertEquals(sigmoid(-0.1 * 0.25 * (1 - 0)), second, 1e-15); // Ĵ = 1 > θ = 0
  }

  @Test
  void theLogitsFollowSgdWithMomentumOnTheLagrangian() {
    LagrangianCombinerProvider.Lagrangian c = combiner(Map.of("a", 1.0), 0.0);
    // group 1: episode sums 3 and 1, Ĵ = 2; group 2: Ĵ = 0
    c.combine(List.of(component("a", 1.0, new double[][] {{1, 2}, {1}})));
    double g1 = 0.25 * (2 - 1);
    double l1 = -0.1 * g1;
    assertEquals(sigmoid(l1), c.multiplier("a"), 1e-15);
    c.combine(List.of(component("a", 1.0, column(0, 0))));
    double g2 = sigmoid(l1) * (1 - sigmoid(l1)) * (0 - 1);
    double l2 = l1 - 0.1 * (0.1 * g1 + g2);
    assertEquals(sigmoid(l2), c.multiplier("a"), 1e-15);
  }

  @Test
  void theReturnIsTheGroupMeanOfEpisodeSumsCountingAnEpisodeWithoutValuesAsZero() {
    LagrangianCombinerProvider.Lagrangian c = combiner(Map.of("a", 1.0), 0.0);
    c.combine(List.of(component("a", 1.0, new double[][] {{1, 1}, {Double.NaN}})));
    assertEquals(0.5, c.multiplier("a"), 0.0); // Ĵ = (2 + 0) / 2 = θ: no step
  }

  @Test
  void unconstrainedComponentsKeepTheirWeightAndAConstrainedMetricContributesZero() {
    LagrangianCombinerProvider.Lagrangian c = combiner(Map.of("m", 0.0), 0.0);
    RewardCombiner.Combination r = c.combine(List.of(component("a", 3.0, column(2)), component("m", 0.0, column(5))));
    assertEquals(6.0, r.contributions().get(0)[0][0], 0.0);
    assertEquals(0.0, r.contributions().get(1)[0][0], 0.0);
    assertTrue(c.multiplier("m") < 0.5, "the metric's multiplier still learns");
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new LagrangianCombinerProvider.Config(Map.of(), 0.1, 1.0, 0.0));
    assertEquals("momentum must be a number in [0, 1), was 1.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LagrangianCombinerProvider.Config(Map.of(), 0, 0.1, 0));
    assertEquals("learningRate must be a number in (0, 100], was 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new LagrangianCombinerProvider.Config(Map.of("a", Double.POSITIVE_INFINITY), 0.1, 0.1, 0));
    assertEquals("thresholds.a must be a finite number, was Infinity", e.getMessage());
  }

  @Test
  void throughThePipelineTheSecondGroupIsWeightedWithTheStepTheFirstCaused() {
    double[][] a = {{1, 1}, {1}};
    double[][] b = {{2, Double.NaN}, {4}};
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 1.0)
        .shaper("b", Groups.table("b", b), 0.5)
        .combiner("lagrangian", PROVIDER.create(
            new LagrangianCombinerProvider.Config(Map.of("a", 0.5), 0.1, 0.1, 0.0)))
        .build();
    List<Episode> first = pipeline.score(Groups.episodes("task-1", a));
    double[][] vb = {{1, Double.NaN}, {2}};
    Groups.assertLedger(first, Map.of("a", a, "b", b), Map.of("a", new double[][] {{0.5, 0.5}, {0.5}}, "b", vb),
        new double[][] {{1.5, 0.5}, {2.5}});
    // Ĵ_a = (2 + 1) / 2 = 1.5 > θ = 0.5: ℓ = −0.1 · 0.25 · 1
    double lambda = sigmoid(-0.025);
    List<Episode> second = pipeline.score(Groups.episodes("task-2", a));
    Groups.assertLedger(second, Map.of("a", a, "b", b),
        Map.of("a", new double[][] {{lambda, lambda}, {lambda}}, "b", vb),
        new double[][] {{lambda + 1, lambda}, {lambda + 2}});
  }
}
