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

  /**
   * The expected information gain in bits of guessing {@code guess} under a uniform belief over the range:
   * {@code log2(n) − (k/n)·log2(k) − (m/n)·log2(m)} with {@code k} numbers below the guess and {@code m}
   * above (a correct guess leaves nothing); 0 for a guess outside the range.
   */
  public double expectedGainBits(long guess) {
    if (!contains(guess)) {
      return 0;
    }
    int n = count();
    long below = guess - low;
    long above = high - guess;
    return (Math.log(n) - xLogX(below) / n - xLogX(above) / n) / Math.log(2);
  }

  private static double xLogX(long x) {
    return x <= 1 ? 0 : x * Math.log(x);
  }
}
