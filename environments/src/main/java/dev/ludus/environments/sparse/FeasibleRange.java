package dev.ludus.environments.sparse;

/**
 * The interval of integers {@code [low, high]} still consistent with what the agent was told. Serializes
 * to JSON as {@code {"low":..,"high":..}}. Immutable and thread-safe.
 *
 * @param low the smallest feasible number
 * @param high the largest feasible number, at least {@code low}
 */
public record FeasibleRange(int low, int high) {
  public FeasibleRange {
    if (high < low) {
      throw new IllegalArgumentException("an empty range: high (" + high + ") is below low (" + low + ")");
    }
  }

  /** How many integers the range holds. */
  public int count() {
    return high - low + 1;
  }

  public boolean contains(long value) {
    return value >= low && value <= high;
  }

  /** The Shannon entropy in bits of a uniform belief over the range: {@code log2(count)}. */
  public double entropyBits() {
    return Math.log(count()) / Math.log(2);
  }
}
