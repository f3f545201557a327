package dev.ludus.environments.sparse;

/**
 * Configuration of {@code guess-number}. Immutable and thread-safe; validated on construction.
 *
 * @param low the smallest possible target, between -1,000,000,000 and 1,000,000,000 (default 1)
 * @param high the largest possible target, above {@code low} and at most 1,000,000,000 (default 100)
 * @param maxTurns guesses allowed before the episode is truncated, 1 to 1000 (default 20)
 */
public record GuessNumberConfig(int low, int high, int maxTurns) {
  static final int LIMIT = 1_000_000_000;

  public GuessNumberConfig {
    ConfigChecks.between("low", low, -LIMIT, LIMIT - 1);
    ConfigChecks.between("high", high, low + 1, LIMIT);
    ConfigChecks.between("maxTurns", maxTurns, 1, 1000);
  }

  /** 1 to 100, 20 turns: binary search needs at most 7. */
  public static GuessNumberConfig defaults() {
    return new GuessNumberConfig(1, 100, 20);
  }
}
