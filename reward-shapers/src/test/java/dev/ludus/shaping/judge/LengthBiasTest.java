package dev.ludus.shaping.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LengthBiasTest {
  @Test
  void aGroupWhoseScoresTrackLength_isFlattenedToItsMean() {
    double[] s = {0.1, 0.2, 0.3, 0.4};
    double[] len = {10, 20, 30, 40};
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, LengthBias.control(s, len, 0.5, 4), 1e-12);
  }

  @Test
  void aGroupWithinTheThreshold_orTooSmall_isLeftAsScored() {
    double[] s = {0.9, 0.1, 0.8, 0.2};
    double[] len = {10, 20, 30, 40};
    assertTrue(Math.abs(LengthBias.correlation(s, len)) <= 0.5);
    assertSame(s, LengthBias.control(s, len, 0.5, 4));
    double[] three = {0.1, 0.2, 0.3};
    assertSame(three, LengthBias.control(three, new double[] {1, 2, 3}, 0.5, 4));
  }

  @Property
  void afterTheControl_theMeanIsKept_andNoCorrelationAboveTheThresholdRemains(
      @ForAll @Size(min = 4, max = 12) java.util.List<@DoubleRange(min = 0, max = 1) Double> scores) {
    double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
    double[] len = new double[s.length];
    for (int i = 0; i < len.length; i++) {
      len[i] = 10 + 7 * i + (i % 3);
    }
    double[] out = LengthBias.control(s, len, 0.5, 4);
    assertEquals(java.util.Arrays.stream(s).average().orElseThrow(), java.util.Arrays.stream(out).average()
        .orElseThrow(), 1e-9);
    assertTrue(Math.abs(LengthBias.correlation(out, len)) <= 0.5 + 1e-9);
  }
}
