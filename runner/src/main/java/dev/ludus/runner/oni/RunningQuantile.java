package dev.ludus.runner.oni;

import java.util.Arrays;

/**
 * The latest {@code window} values, for a running quantile, mean and standard deviation (Motif's threshold and
 * normalisation over the rewards seen lately). Not thread-safe: its owner calls it from one thread at a time.
 */
final class RunningQuantile {
  private final double[] ring;
  private int size;
  private int next;

  RunningQuantile(int window) {
    ring = new double[window];
  }

  void add(double v) {
    ring[next] = v;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** The value below which a share {@code q} of the window lies: its sorted values at index ⌊q·(n−1)⌋. */
  double quantile(double q) {
    double[] sorted = Arrays.copyOf(ring, size);
    Arrays.sort(sorted);
    return sorted[(int) Math.floor(q * (size - 1))];
  }

  double mean() {
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += ring[i];
    }
    return s / size;
  }

  /** The standard deviation of the window, 1 when it is 0 (so that dividing by it is safe). */
  double std() {
    double m = mean();
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += (ring[i] - m) * (ring[i] - m);
    }
    double sd = Math.sqrt(s / size);
    return sd > 0 ? sd : 1;
  }
}
