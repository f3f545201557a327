package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** The dual-clip PPO loss (verl's {@code clip_ratio_c}): its law, and the array form against the scalar one. */
class PpoObjectiveProperties {

  @Property(tries = 500)
  void withANonNegativeAdvantageTheDualClipChangesNothing(
      @ForAll @DoubleRange(min = 0, max = 20) double ratio,
      @ForAll @DoubleRange(min = 0, max = 10) double advantage,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double epsilon,
      @ForAll @DoubleRange(min = 1.01, max = 10) double c) {
    assertEquals(PpoObjective.tokenLoss(ratio, advantage, epsilon, 0), PpoObjective.tokenLoss(ratio, advantage, epsilon,
        c));
  }

  @Property(tries = 500)
  void withANegativeAdvantageTheLossIsPpoClipCappedAtMinusAdvantageTimesC(
      @ForAll @DoubleRange(min = 0, max = 50) double ratio,
      @ForAll @DoubleRange(min = -10, max = -0.01) double advantage,
      @ForAll @DoubleRange(min = 0.05, max = 0.5) double epsilon,
      @ForAll @DoubleRange(min = 1.01, max = 10) double c) {
    double plain = PpoObjective.tokenLoss(ratio, advantage, epsilon, 0);
    double dual = PpoObjective.tokenLoss(ratio, advantage, epsilon, c);
    assertTrue(dual <= -advantage * c + 1e-12, "bounded by |A|·c");
    assertEquals(Math.min(plain, -advantage * c), dual, 1e-12);
    if (ratio > c) {
      assertEquals(-advantage * c, dual, 1e-12, "past c the loss is the constant |A|·c: no gradient");
    } else {
      assertEquals(plain, dual, 1e-12, "below c it is plain PPO-clip");
    }
  }

  @Property(tries = 60)
  void theArrayFormAgreesWithTheScalarForm(@ForAll("ratios") List<Double> ratios,
      @ForAll("advantages") List<Double> advantages, @ForAll @DoubleRange(min = 1.5, max = 5) double c) {
    int n = Math.min(ratios.size(), advantages.size());
    float[] r = new float[n];
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      r[i] = ratios.get(i).floatValue();
      a[i] = advantages.get(i).floatValue();
    }
    for (double dual : new double[] {0, c}) {
      try (NDManager m = NDManager.newBaseManager("PyTorch")) {
        NDArray loss = PpoObjective.tokenLoss(m.create(r), m.create(a), 0.2f, dual);
        float[] got = loss.toFloatArray();
        for (int i = 0; i < n; i++) {
          double expected = PpoObjective.tokenLoss(r[i], a[i], 0.2f, (float) dual);
          assertEquals(expected, got[i], 1e-4 * Math.max(1, Math.abs(expected)), "token " + i + ", c " + dual);
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Double>> ratios() {
    return Arbitraries.doubles().between(0, 12).ofScale(3).list().ofMinSize(1).ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<Double>> advantages() {
    return Arbitraries.doubles().between(-5, 5).ofScale(3).list().ofMinSize(1).ofMaxSize(40);
  }
}
