package dev.ludus.api.stats;

import dev.ludus.api.ComponentValues;

/**
 * Means and standard deviations of arrays of doubles, each with its convention stated. Stateless and thread-safe;
 * no method changes the arrays it reads.
 */
public final class Statistics {
  private Statistics() {}

  /** The arithmetic mean, the sum over n in index order; NaN for no values. */
  public static double mean(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /**
   * The mean taken as {@code x[0] + mean(x − x[0])}, so that equal values have exactly their value as mean (and an
   * advantage against it exactly 0), which a plain sum over n does not guarantee; {@code x} has at least one value.
   */
  public static double shiftedMean(double[] x) {
    double shift = x[0];
    double sum = 0;
    for (double v : x) {
      sum += v - shift;
    }
    return shift + sum / x.length;
  }

  /** The {@link #mean} of the cells of {@code v} that hold a value (are not NaN); NaN when none does. */
  public static double meanOfPresent(double[][] v) {
    return mean(ComponentValues.present(v));
  }

  /** The sample standard deviation (divides by n − 1, as torch's {@code std}); 0 for fewer than 2 values. */
  public static double sampleStd(double[] x) {
    return x.length < 2 ? 0 : Math.sqrt(sumOfSquares(x) / (x.length - 1));
  }

  /** The population standard deviation (divides by n); 0 for fewer than 2 values. */
  public static double populationStd(double[] x) {
    return x.length < 2 ? 0 : Math.sqrt(sumOfSquares(x) / x.length);
  }

  /** The sum of squared deviations from the {@link #mean}. */
  private static double sumOfSquares(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s;
  }
}
