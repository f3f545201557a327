package dev.ludus.shaping.transform;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.RewardTransform;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RunningNormTransformTest {
  private static final RunningNormTransformProvider PROVIDER = new RunningNormTransformProvider();

  private static RewardTransform norm(String mode) {
    return PROVIDER.create(new RunningNormTransformProvider.Config(mode, 1e-8));
  }

  @Provide
  Arbitrary<List<double[]>> batches() {
    return Arbitraries.oneOf(Arbitraries.doubles().between(-1e4, 1e4), Arbitraries.of(0.0, 1.0))
        .array(double[].class).ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 300)
  void minmaxStaysInZeroToOneFromTheFirstBatchOn(@ForAll("batches") List<double[]> batches) {
    RewardTransform t = norm("minmax");
    for (double[] b : batches) {
      for (double[] row : t.apply(component("a", 1.0, column(b)))) {
        assertTrue(row[0] >= 0 && row[0] <= 1, "minmax gave " + row[0]);
      }
    }
  }

  @Property(tries = 300)
  void meanstdMergesBatchesIntoTheStatisticsOfEverythingSeen(@ForAll("batches") List<double[]> batches) {
    RewardTransform t = norm("meanstd");
    List<Double> seen = new ArrayList<>();
    for (double[] b : batches) {
      double[][] out = t.apply(component("a", 1.0, column(b)));
      for (double x : b) {
        seen.add(x);
      }
      double mean = seen.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double var = seen.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / seen.size();
      double sd = Math.sqrt(Math.max(var, 1e-8));
      for (int i = 0; i < b.length; i++) {
        double want = (b[i] - mean) / sd;
        assertEquals(want, out[i][0], 1e-6 * Math.max(1, Math.abs(want)));
      }
    }
  }

  @Test
  void clipClampsToOneStandardDeviationAroundTheRunningMean() {
    double[][] out = norm("clip").apply(component("a", 1.0, column(0, 0, 0, 10)));
    // mean 2.5, population std sqrt(18.75)
    double sd = Math.sqrt(18.75);
    assertEquals(0.0, out[0][0], 0.0);
    assertEquals(2.5 + sd, out[3][0], 1e-12);
  }

  @Test
  void eachComponentKeepsItsOwnStatistics() {
    RewardTransform t = norm("minmax");
    t.apply(component("big", 1.0, column(-1000, 1000)));
    double[][] small = t.apply(component("small", 1.0, column(0, 1)));
    assertEquals(1.0, small[1][0], 0.0);
  }

  @Test
  void aGroupWithoutValuesChangesNothing() {
    RewardTransform t = norm("minmax");
    double[][] empty = t.apply(component("a", 1.0, column(Double.NaN)));
    assertTrue(Double.isNaN(empty[0][0]));
    assertEquals(0.5, t.apply(component("a", 1.0, column(0, 1, 2)))[1][0], 0.0);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new RunningNormTransformProvider.Config("zscore", 1e-8));
    assertEquals("mode must be one of meanstd, minmax, clip, was 'zscore'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RunningNormTransformProvider.Config("minmax", 0));
    assertEquals("epsilon must be a number in (0, 1], was 0.0", e.getMessage());
  }

  @Test
  void throughThePipelineTheTargetedComponentIsNormalizedAcrossGroups() {
    RewardTransform t = norm("minmax");
    TransformPipeline.assertTargetedThroughPipeline("running-norm", t, "task-1", new double[][] {{0, 2}, {4}},
        new double[][] {{0, 0.5}, {1}});
    // the running extremes are now 0 and 4; a second group widens them to 8
    TransformPipeline.assertTargetedThroughPipeline("running-norm", t, "task-2", new double[][] {{8}, {2}},
        new double[][] {{1}, {0.25}});
  }
}
