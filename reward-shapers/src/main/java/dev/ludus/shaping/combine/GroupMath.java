package dev.ludus.shaping.combine;

import dev.ludus.api.stats.Statistics;
import java.util.List;
import java.util.Map;

/** Group statistics shared by the combiners. NaN cells (no value) are skipped everywhere. */
final class GroupMath {
  private GroupMath() {}

  /** Every non-NaN cell of {@code v}, row by row. */
  static double[] present(double[][] v) {
    return dev.ludus.api.ComponentValues.present(v);
  }

  static boolean allEqual(double[] xs) {
    for (double x : xs) {
      if (x != xs[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * GDPO's group normalization of a set of values: {@code (x − mean) / (std + ε)} with the sample standard
   * deviation; exactly 0 for every value when there are fewer than 2 values or all are equal.
   */
  static double[] zScores(double[] xs, double epsilon) {
    double[] z = new double[xs.length];
    if (xs.length < 2 || allEqual(xs)) {
      return z;
    }
    double m = Statistics.mean(xs);
    double sd = Statistics.sampleStd(xs);
    for (int i = 0; i < xs.length; i++) {
      z[i] = (xs[i] - m) / (sd + epsilon);
    }
    return z;
  }

  /** {@link #zScores} over all the non-NaN cells of the group at once. NaN stays NaN. */
  static double[][] zScoresPooled(double[][] v, double epsilon) {
    double[] z = zScores(present(v), epsilon);
    double[][] out = blankLike(v);
    int k = 0;
    for (int i = 0; i < v.length; i++) {
      for (int t = 0; t < v[i].length; t++) {
        if (!Double.isNaN(v[i][t])) {
          out[i][t] = z[k++];
        }
      }
    }
    return out;
  }

  /** {@link #zScores} separately for each turn index, over the episodes that have a value there. */
  static double[][] zScoresPerTurn(double[][] v, double epsilon) {
    double[][] out = blankLike(v);
    int turns = 0;
    for (double[] row : v) {
      turns = Math.max(turns, row.length);
    }
    for (int t = 0; t < turns; t++) {
      int n = 0;
      for (double[] row : v) {
        if (t < row.length && !Double.isNaN(row[t])) {
          n++;
        }
      }
      double[] xs = new double[n];
      int k = 0;
      for (double[] row : v) {
        if (t < row.length && !Double.isNaN(row[t])) {
          xs[k++] = row[t];
        }
      }
      double[] z = zScores(xs, epsilon);
      k = 0;
      for (int i = 0; i < v.length; i++) {
        if (t < v[i].length && !Double.isNaN(v[i][t])) {
          out[i][t] = z[k++];
        }
      }
    }
    return out;
  }

  /** A new array shaped like {@code v}, all NaN. */
  static double[][] blankLike(double[][] v) {
    return dev.ludus.api.ComponentValues.blankLike(v);
  }

  /** {@code factor · v} cell by cell; NaN stays NaN, and a factor of 0 gives exactly 0. */
  static double[][] scaled(double[][] v, double factor) {
    double[][] out = blankLike(v);
    for (int i = 0; i < v.length; i++) {
      for (int t = 0; t < v[i].length; t++) {
        if (!Double.isNaN(v[i][t])) {
          out[i][t] = factor == 0 ? 0 : factor * v[i][t];
        }
      }
    }
    return out;
  }

  /** The logistic sigmoid. */
  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  /** {@code log σ(x)}, computed without overflow: {@code −log(1 + e^{−x})}. */
  static double logSigmoid(double x) {
    return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
  }

  /** The value a per-component map gives a component: by its label first, then by its source. */
  static Double lookup(Map<String, Double> byComponent, String label, String source) {
    Double v = byComponent.get(label);
    return v != null ? v : byComponent.get(source);
  }

  /** Checks a per-component map of finite numbers; returns an immutable copy. */
  static Map<String, Double> finiteMap(Map<String, Double> map, String field) {
    if (map == null) {
      return Map.of();
    }
    for (Map.Entry<String, Double> e : map.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException(field + " keys must name a component (shaper or shaper/component), was '"
            + e.getKey() + "'");
      }
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException(field + "." + e.getKey() + " must be a finite number, was " + e.getValue());
      }
    }
    return Map.copyOf(map);
  }

  /** The same string, or a failure naming the field, the bad value and the allowed ones. */
  static String oneOf(String value, String field, List<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ", was '" + value
          + "'");
    }
    return value;
  }
}
