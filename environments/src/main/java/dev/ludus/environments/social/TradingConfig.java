package dev.ludus.environments.social;

/**
 * Configuration of {@code trading}. Immutable and thread-safe; validated on construction.
 *
 * @param maxTurns messages of the two seats together (refused ones included) before the game ends, 2 to 100; default
 *     10, TextArena's SimpleNegotiation-v0 (its {@code -short} variant has 6, {@code -long} 30)
 */
public record TradingConfig(int maxTurns) {
  public TradingConfig {
    if (maxTurns < 2 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 2 and 100, was " + maxTurns);
    }
  }

  /** Ten turns. */
  public static TradingConfig defaults() {
    return new TradingConfig(10);
  }
}
