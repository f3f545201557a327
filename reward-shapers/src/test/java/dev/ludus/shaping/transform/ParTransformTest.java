package dev.ludus.shaping.transform;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.RewardTransform;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ParTransformTest {
  private static final ParTransformProvider PROVIDER = new ParTransformProvider();

  private static RewardTransform par(String variant, double... references) {
    List<Double> refs = java.util.Arrays.stream(references).boxed().toList();
    return PROVIDER.create(new ParTransformProvider.Config("config", refs, variant, 2.0));
  }

  private static double apply(RewardTransform t, double r) {
    return t.apply(component("a", 1.0, column(r)))[0][0];
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Property(tries = 300)
  void theOutputIsAProbabilityStrictlyBetweenZeroAndOne(@ForAll @DoubleRange(min = -15, max = 15) double r,
      @ForAll @Size(min = 1, max = 5) List<@DoubleRange(min = -15, max = 15) Double> refs) {
    double p = apply(PROVIDER.create(new ParTransformProvider.Config("config", refs, "sigmoid", 1)), r);
    assertTrue(p > 0 && p < 1, "PAR gave " + p);
  }

  @Property(tries = 200)
  void aRewardEqualToTheSingleReferenceScoresOneHalf(@ForAll @DoubleRange(min = -1e6, max = 1e6) double r) {
    assertEquals(0.5, apply(par("sigmoid", r), r), 0.0);
    assertEquals(0.5, PROVIDER.create(PROVIDER.defaultConfig()).apply(component("a", 1.0, column(r)))[0][0], 0.0);
  }

  @Property(tries = 300)
  void theOutputIsMonotoneWithASlopeOfAtMostAQuarter(@ForAll @DoubleRange(min = -20, max = 20) double r,
      @ForAll @DoubleRange(min = 0.01, max = 5) double step,
      @ForAll @Size(min = 1, max = 4) List<@DoubleRange(min = -20, max = 20) Double> refs) {
    RewardTransform t = PROVIDER.create(new ParTransformProvider.Config("config", refs, "sigmoid", 1));
    double low = apply(t, r);
    double high = apply(t, r + step);
    assertTrue(high >= low, "monotone");
    assertTrue(high - low <= 0.25 * step * (1 + 1e-9) + 1e-15, "slope " + (high - low) / step);
  }

  @Test
  void theRewardIsAveragedOverTheReferences() {
    assertEquals((sigmoid(1) + sigmoid(-1)) / 2, apply(par("sigmoid", 0, 2), 1), 1e-15);
  }

  @Test
  void theVariantsFollowTheParCode() {
    assertEquals(sigmoid(2 * 0.5), apply(par("sigmoid-k", 1), 1.5), 1e-15);
    assertEquals(Math.tanh(-0.5), apply(par("tanh", 1), 0.5), 1e-15);
    assertEquals(0.5, apply(par("fitted-poly", 3), 3), 0.0);
    assertEquals(sigmoid(5), apply(par("fitted-poly", 0), 5), 1e-15);
  }

  @Test
  void fromGroupMeanTheReferenceIsTheGroupsMeanAndEmptyCellsStayEmpty() {
    double[][] out = PROVIDER.create(PROVIDER.defaultConfig())
        .apply(component("a", 1.0, new double[][] {{1, Double.NaN}, {3}}));
    assertEquals(sigmoid(-1), out[0][0], 1e-15);
    assertTrue(Double.isNaN(out[0][1]));
    assertEquals(sigmoid(1), out[1][0], 1e-15);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ParTransformProvider.Config("config", List.of(), "sigmoid", 2));
    assertEquals("references must list at least one reward when from is config, was []", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ParTransformProvider.Config("group-mean", List.of(1.0), "sigmoid", 2));
    assertTrue(e.getMessage().startsWith("references must be empty when from is group-mean"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ParTransformProvider.Config("group-mean", List.of(), "relu", 2));
    assertEquals("variant must be one of sigmoid, sigmoid-k, tanh, fitted-poly, was 'relu'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ParTransformProvider.Config("group-mean", List.of(), "sigmoid-k", 0));
    assertEquals("k must be a number in (0, 100], was 0.0", e.getMessage());
  }

  @Test
  void throughThePipelineOnlyTheTargetedComponentIsShaped() {
    double[][] a = {{0, 2}, {Double.NaN, 1}};
    double[][] expected = {{sigmoid(-1), sigmoid(1)}, {Double.NaN, sigmoid(0)}};
    TransformPipeline.assertTargetedThroughPipeline("par", PROVIDER.create(PROVIDER.defaultConfig()), "task-1", a,
        expected);
  }
}
