package dev.ludus.runner.learn.advantage;

import dev.ludus.api.stats.Statistics;
import java.util.List;

/**
 * The statistics the estimators share, so that equal conventions give equal numbers by construction. The mean is
 * {@link Statistics#shiftedMean}: equal rewards have exactly their value as mean, so an advantage of exactly 0.
 */
final class Stats {
  /** The constant verl's {@code masked_whiten} adds to the variance: {@code rsqrt(var + 1e-8)}. */
  static final double WHITEN_VARIANCE_FLOOR = 1e-8;

  private Stats() {}

  /** The standard deviation of {@code x} (at least two values) around {@code mean}, by {@code convention}. */
  static double std(double[] x, double mean, StdConvention convention) {
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    return switch (convention) {
      case SAMPLE -> Math.sqrt(ss / (x.length - 1));
      case POPULATION -> Math.sqrt(ss / x.length + StdConvention.POPULATION_VARIANCE_FLOOR);
    };
  }

  /**
   * {@code (x - mean) / (std + epsilon)} over a pool of at least two values, or {@code x - mean} when not
   * scaling; the group normalization of GRPO (E1) and IGPO (E5).
   */
  static double[] normalize(double[] x, StdConvention convention, double epsilon, boolean scaleByStd) {
    double mean = Statistics.shiftedMean(x);
    double denominator = scaleByStd ? std(x, mean, convention) + epsilon : 1;
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      z[i] = (x[i] - mean) / denominator;
    }
    return z;
  }

  /**
   * Whitens token values in place over all of them together, as verl's {@code masked_whiten}: {@code (x -
   * mean) / sqrt(var + 1e-8)} with the Bessel-corrected variance. verl refuses a single token (its variance is
   * undefined); here a lone token gets 0, its centered value.
   */
  static void whiten(List<double[][]> values) {
    long n = 0;
    double shift = Double.NaN;
    double sum = 0;
    for (double[][] episode : values) {
      for (double[] turn : episode) {
        for (double v : turn) {
          shift = n == 0 ? v : shift;
          sum += v - shift;
          n++;
        }
      }
    }
    if (n == 0) {
      return;
    }
    double mean = shift + sum / n; // shifted, as in Statistics.shiftedMean
    double ss = 0;
    for (double[][] episode : values) {
      for (double[] turn : episode) {
        for (double v : turn) {
          ss += (v - mean) * (v - mean);
        }
      }
    }
    double scale = n == 1 ? 0 : 1 / Math.sqrt(ss / (n - 1) + WHITEN_VARIANCE_FLOOR);
    for (double[][] episode : values) {
      for (double[] turn : episode) {
        for (int k = 0; k < turn.length; k++) {
          turn[k] = (turn[k] - mean) * scale;
        }
      }
    }
  }
}
