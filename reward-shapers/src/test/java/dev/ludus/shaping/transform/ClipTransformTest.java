package dev.ludus.shaping.transform;

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

class ClipTransformTest {
  private static final ClipTransformProvider PROVIDER = new ClipTransformProvider();

  @Property(tries = 300)
  void noStepIsWorthMoreThanZeroSoMoreStepsNeverRaiseTheReturn(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -1e3, max = 1e3) Double> steps,
      @ForAll @DoubleRange(min = -10, max = 10) double eta) {
    double[][] v = {steps.stream().mapToDouble(Double::doubleValue).toArray()};
    double[] out = PROVIDER.create(new ClipTransformProvider.Config(eta)).apply(component("a", 1.0, v))[0];
    double ret = 0;
    for (double r : out) {
      assertTrue(r <= 0, "clipped step " + r);
      double next = ret + r;
      assertTrue(next <= ret, "the return rose with a step");
      ret = next;
    }
  }

  @Test
  void stepsAboveTheThresholdBecomeZeroAndTheOthersTheirShortfall() {
    RewardTransform clip = PROVIDER.create(new ClipTransformProvider.Config(0.5));
    double[][] out = clip.apply(component("a", 1.0, new double[][] {{0.9, 0.2, Double.NaN, 0.5}}));
    assertEquals(0.0, out[0][0], 0.0);
    assertEquals(-0.3, out[0][1], 1e-15);
    assertTrue(Double.isNaN(out[0][2]));
    assertEquals(0.0, out[0][3], 0.0);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ClipTransformProvider.Config(Double.NaN));
    assertEquals("eta must be a finite number, was NaN", e.getMessage());
  }

  @Test
  void throughThePipelineOnlyTheTargetedComponentIsClipped() {
    double[][] a = {{0.9, 0.2}, {0.4}};
    TransformPipeline.assertTargetedThroughPipeline("clip", PROVIDER.create(new ClipTransformProvider.Config(0.5)),
        "task-1", a, new double[][] {{0, 0.2 - 0.5}, {0.4 - 0.5}});
  }
}
