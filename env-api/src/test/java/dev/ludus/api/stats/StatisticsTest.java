package dev.ludus.api.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticsTest {
  private static final double[] SAMPLE = {2, 4, 4, 4, 5, 5, 7, 9};

  @Test
  void mean_isTheSumOverN_andNaNForNoValues() {
    assertEquals(5.0, Statistics.mean(SAMPLE));
    assertEquals(-1.5, Statistics.mean(new double[] {-1, -2}));
    assertTrue(Double.isNaN(Statistics.mean(new double[0])));
  }

  @Test
  void shiftedMean_ofEqualValues_isExactlyThatValue_whereThePlainMeanIsNot() {
    double[] equal = {0.1, 0.1, 0.1};
    assertEquals(0.1, Statistics.shiftedMean(equal));
    assertNotEquals(0.1, Statistics.mean(equal), "the plain sum of three 0.1 is not 0.3");
    assertEquals(5.0, Statistics.shiftedMean(SAMPLE), 1e-12);
  }

  @Test
  void meanOfPresent_skipsNaNCells_andIsNaNWhenNoCellHasAValue() {
    double[][] cells = {{1, Double.NaN}, {}, {Double.NaN, 3, 5}};
    assertEquals(3.0, Statistics.meanOfPresent(cells));
    assertTrue(Double.isNaN(Statistics.meanOfPresent(new double[][] {{Double.NaN}, {}})));
  }

  @Test
  void standardDeviations_divideByNMinusOneOrN_andAreZeroBelowTwoValues() {
    assertEquals(Math.sqrt(32.0 / 7), Statistics.sampleStd(SAMPLE), 1e-12);
    assertEquals(2.0, Statistics.populationStd(SAMPLE), 1e-12);
    assertEquals(0.0, Statistics.sampleStd(new double[] {3}));
    assertEquals(0.0, Statistics.populationStd(new double[0]));
  }
}
