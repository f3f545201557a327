package dev.ludus.environments.social;

/**
 * Configuration of {@code deal-or-no-deal}. Immutable and thread-safe; validated on construction.
 *
 * @param maxTalk messages the two seats may exchange (unreadable ones included) before the talk ends as if one had
 *     written {@code <selection>}, 1 to 100 (default 10)
 */
public record DealOrNoDealConfig(int maxTalk) {
  public DealOrNoDealConfig {
    if (maxTalk < 1 || maxTalk > 100) {
      throw new IllegalArgumentException("maxTalk must be between 1 and 100, was " + maxTalk);
    }
  }

  /** Ten messages of talk. */
  public static DealOrNoDealConfig defaults() {
    return new DealOrNoDealConfig(10);
  }
}
