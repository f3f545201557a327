package dev.ludus.shaping.transform;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** Cell-wise helpers shared by the transforms. NaN cells (no value) are skipped and stay NaN. */
final class Cells {
  private Cells() {}

  /** {@code f} applied to every non-NaN cell, in a new array. */
  static double[][] map(double[][] v, DoubleUnaryOperator f) {
    double[][] out = new double[v.length][];
    for (int i = 0; i < v.length; i++) {
      out[i] = new double[v[i].length];
      for (int t = 0; t < v[i].length; t++) {
        out[i][t] = Double.isNaN(v[i][t]) ? Double.NaN : f.applyAsDouble(v[i][t]);
      }
    }
    return out;
  }

  /** A copy of {@code v}. */
  static double[][] copy(double[][] v) {
    double[][] out = new double[v.length][];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i].clone();
    }
    return out;
  }

  /** A new array shaped like {@code v}, all NaN. */
  static double[][] blankLike(double[][] v) {
    return dev.ludus.api.ComponentValues.blankLike(v);
  }

  /** Every non-NaN cell, row by row. */
  static double[] present(double[][] v) {
    return dev.ludus.api.ComponentValues.present(v);
  }

  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
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
