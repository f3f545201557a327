package dev.ludus.shaping.transform;

import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardTransform;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DeltaTransformTest {
  private static final RewardTransform DELTA = new DeltaTransformProvider().create(NoConfig.INSTANCE);

  @Provide
  Arbitrary<List<Double>> steps() {
    return Arbitraries.oneOf(Arbitraries.doubles().between(-100, 100), Arbitraries.just(Double.NaN))
        .list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 300)
  void theReturnFromAnyStepIsThatStepsOwnReward(@ForAll("steps") List<Double> steps) {
    double[][] v = {steps.stream().mapToDouble(Double::doubleValue).toArray()};
    double[] out = DELTA.apply(component("a", 1.0, v))[0];
    for (int t = 0; t < out.length; t++) {
      assertEquals(Double.isNaN(v[0][t]), Double.isNaN(out[t]), "NaN stays NaN");
      if (Double.isNaN(v[0][t])) {
        continue;
      }
      double rest = 0;
      for (int k = t; k < out.length; k++) {
        rest += Double.isNaN(out[k]) ? 0 : out[k];
      }
      assertEquals(v[0][t], rest, 1e-9);
    }
  }

  @Test
  void eachStepLosesTheNextStepsRewardSkippingEmptyTurns() {
    double[][] out = DELTA.apply(component("a", 1.0, new double[][] {{0.5, Double.NaN, 0.75, 1.0}, {2}}));
    assertEquals(0.5 - 0.75, out[0][0], 0.0);
    assertTrue(Double.isNaN(out[0][1]));
    assertEquals(0.75 - 1.0, out[0][2], 0.0);
    assertEquals(1.0, out[0][3], 0.0);
    assertEquals(2.0, out[1][0], 0.0);
  }

  @Test
  void throughThePipelineOnlyTheTargetedComponentIsDifferenced() {
    double[][] a = {{0.5, 0.75, 1.0}, {0.25}};
    TransformPipeline.assertTargetedThroughPipeline("delta", DELTA, "task-1", a,
        new double[][] {{-0.25, -0.25, 1.0}, {0.25}});
  }
}
