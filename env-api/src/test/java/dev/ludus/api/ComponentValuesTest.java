package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ComponentValuesTest {
  @Test
  void presentKeepsEveryNonNanCellRowByRow() {
    double[][] cells = {{1, Double.NaN, -0.0}, {}, {Double.NaN}, {2.5, Double.POSITIVE_INFINITY}};
    assertArrayEquals(new double[] {1, -0.0, 2.5, Double.POSITIVE_INFINITY}, ComponentValues.present(cells));
    assertArrayEquals(new double[0], ComponentValues.present(new double[][] {{Double.NaN}}));
  }
}
