package dev.ludus.runner.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Statistics the benchmarks share. Stateless. */
final class BenchMath {
  private BenchMath() {}

  /** The median of {@code xs} (the mean of the middle two for an even count); {@code xs} is not changed. */
  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
