package dev.ludus.api;

/** Seed arithmetic shared by every component, so that the same inputs give the same streams everywhere. */
public final class Seeds {
  private Seeds() {}

  /** Mixes two values into a well-spread, non-negative seed (SplitMix64 finalizer). */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }

  /**
   * The seed of seat number {@code seatIndex} (its place in the seats' order, from 0) in a match played with
   * {@code matchSeed}: what the runtime gives the seat's agent as {@link AgentRequest#seed()}, so that two
   * sampling agents in one match draw different numbers.
   */
  public static long seat(long matchSeed, int seatIndex) {
    return mix(matchSeed, 1L + seatIndex);
  }
}
