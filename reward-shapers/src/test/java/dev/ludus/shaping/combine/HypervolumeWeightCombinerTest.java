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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class HypervolumeWeightCombinerTest {
  private static final HypervolumeWeightCombinerProvider PROVIDER = new HypervolumeWeightCombinerProvider();

  private static HypervolumeWeightCombinerProvider.HypervolumeWeight combiner(double initial) {
    return (HypervolumeWeightCombinerProvider.HypervolumeWeight) PROVIDER.create(
        new HypervolumeWeightCombinerProvider.Config(initial));
  }

  @Provide
  Arbitrary<List<double[]>> vectors() {
    Arbitrary<Double> x = Arbitraries.oneOf(Arbitraries.doubles().between(-3, 3),
        Arbitraries.doubles().between(-1e3, 1e3), Arbitraries.of(0.0, 1.0, 2.0));
    return Arbitraries.integers().between(1, 3).flatMap(d -> x.array(double[].class).ofSize(d).list().ofMaxSize(12));
  }

  @Property(tries = 300)
  void theMetaRewardStaysInHalfToTwoAndIsExactlyHalfWhenNothingIsGained(@ForAll("vectors") List<double[]> vs) {
    HypervolumeWeightCombinerProvider.HypervolumeWeight c = combiner(1.0);
    for (double[] v : vs) {
      double delta = c.offer(v);
      double mu = c.multiplier();
      assertTrue(mu >= 0.5 && mu < 2, "μ = " + mu);
      if (delta == 0) {
        assertEquals(0.5, mu, 0.0);
      } else {
        assertTrue(delta > 0 && mu > 0.5, "ΔHV = " + delta + ", μ = " + mu);
      }
    }
  }

  @Test
  void aHugeGainKeepsTheMetaRewardBelowTwo() {
    HypervolumeWeightCombinerProvider.HypervolumeWeight c = combiner(1.0);
    c.offer(new double[] {0, 0});
    c.offer(new double[] {1e6, 1e6});
    assertTrue(c.multiplier() < 2);
  }

  @Property(tries = 300)
  void slicingGivesTheExactHypervolume(@ForAll("vectors") List<double[]> points) {
    if (points.isEmpty()) {
      return;
    }
    int d = points.get(0).length;
    double[] reference = new double[d];
    List<double[]> same = points.stream().filter(p -> p.length == d).toList();
    assertEquals(inclusionExclusion(same, reference), HypervolumeWeightCombinerProvider.hypervolume(same, reference),
        1e-6 * Math.max(1, inclusionExclusion(same, reference)));
  }

  /** The hypervolume by inclusion–exclusion over the boxes [reference, p] of the points above the reference. */
  private static double inclusionExclusion(List<double[]> points, double[] reference) {
    List<double[]> above = new ArrayList<>();
    for (double[] p : points) {
      boolean in = true;
      for (int k = 0; k < reference.length; k++) {
        in &= p[k] > reference[k];
      }
      if (in) {
        above.add(p);
      }
    }
    int n = Math.min(above.size(), 12);
    double total = 0;
    for (int mask = 1; mask < (1 << n); mask++) {
      double box = 1;
      for (int k = 0; k < reference.length; k++) {
        double m = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          if ((mask & (1 << j)) != 0) {
            m = Math.min(m, above.get(j)[k]);
          }
        }
        box *= m - reference[k];
      }
      total += Integer.bitCount(mask) % 2 == 1 ? box : -box;
    }
    return total;
  }

  @Test
  void twoCrossingPointsCoverTheUnionOfTheirBoxes() {
    assertEquals(3.0, HypervolumeWeightCombinerProvider.hypervolume(
        List.of(new double[] {2, 1}, new double[] {1, 2}), new double[] {0, 0}), 0.0);
  }

  @Test
  void eachGroupIsScaledByTheMultiplierThePreviousGroupLeft() {
    HypervolumeWeightCombinerProvider.HypervolumeWeight c = combiner(1.0);
    RewardCombiner.Combination first = c.combine(List.of(component("a", 2.0, column(0, 0)),
        component("b", 1.0, column(0, 0))));
    assertEquals(0.0, first.contributions().get(0)[0][0], 0.0);
    assertEquals(0.5, c.multiplier(), 0.0); // the first group is the reference point: ΔHV = 0
    RewardCombiner.Combination second = c.combine(List.of(component("a", 2.0, column(1, 1)),
        component("b", 1.0, column(1, 3))));
    assertEquals(0.5 * 2.0 * 1, second.contributions().get(0)[0][0], 0.0);
    assertEquals(0.5 * 1.0 * 3, second.contributions().get(1)[1][0], 0.0);
    double mu = 0.5 + 1.5 * Math.tanh(1 * 2); // objective means (1, 2) over the reference (0, 0)
    assertEquals(mu, c.multiplier(), 1e-15);
    RewardCombiner.Combination third = c.combine(List.of(component("a", 2.0, column(0.5)),
        component("b", 1.0, column(0.5))));
    assertEquals(mu * 2.0 * 0.5, third.contributions().get(0)[0][0], 1e-15);
    assertEquals(0.5, c.multiplier(), 0.0); // (0.5, 0.5) is dominated by (1, 2)
  }

  @Test
  void aGroupMissingAnObjectiveLeavesTheBufferAndTheMultiplierAlone() {
    HypervolumeWeightCombinerProvider.HypervolumeWeight c = combiner(1.5);
    c.combine(List.of(component("a", 1.0, column(0)), component("b", 1.0, column(0))));
    c.combine(List.of(component("a", 1.0, column(5))));
    assertEquals(0.5, c.multiplier(), 0.0);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new HypervolumeWeightCombinerProvider.Config(2.0));
    assertEquals("initialMultiplier must be a number in [0.5, 2), was 2.0", e.getMessage());
  }

  @Test
  void throughThePipelineTheLedgerCarriesTheScaledContributions() {
    double[][] a = {{1, 0}, {1}};
    double[][] b = {{Double.NaN, 2}, {2}};
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 1.0)
        .shaper("b", Groups.table("b", b), 0.5)
        .combiner("hypervolume-weight", PROVIDER.create(new HypervolumeWeightCombinerProvider.Config(1.5)))
        .build();
    List<Episode> first = pipeline.score(Groups.episodes("task-1", a));
    Groups.assertLedger(first, Map.of("a", a, "b", b),
        Map.of("a", new double[][] {{1.5, 0}, {1.5}}, "b", new double[][] {{Double.NaN, 1.5}, {1.5}}),
        new double[][] {{1.5, 1.5}, {3.0}});
    List<Episode> second = pipeline.score(Groups.episodes("task-2", a));
    Groups.assertLedger(second, Map.of("a", a, "b", b),
        Map.of("a", new double[][] {{0.5, 0}, {0.5}}, "b", new double[][] {{Double.NaN, 0.5}, {0.5}}),
        new double[][] {{0.5, 0.5}, {1.0}});
  }
}
