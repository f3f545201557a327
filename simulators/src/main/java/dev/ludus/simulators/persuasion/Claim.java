package dev.ludus.simulators.persuasion;

import java.util.Locale;
import java.util.Objects;

/**
 * One fact a persuader stated, for Refine-and-Imitate's consistency check: a later claim with the same key and
 * another value contradicts it. Immutable.
 *
 * @param key what the claim is about
 * @param value the stated value, normalised (a year, a percentage, a dollar amount, {@code yes}/{@code no})
 */
public record Claim(Key key, String value) {
  public Claim {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** The facts the persuadee remembers. */
  public enum Key {
    /** The year Save the Children was founded ("founded in 1919"). */
    ORG_FOUNDED,
    /** The share of donations that reaches the programmes ("90% of donations go to ..."). */
    FUNDS_SHARE,
    /** In how many countries it works ("in 120 countries"). */
    COUNTRIES,
    /** How much the persuader says they give themselves ("I will donate $1"; "I won't donate" is 0). */
    PERSUADER_DONATION,
    /** Whether the persuader has children ("I have two kids", "I don't have kids"). */
    PERSUADER_HAS_KIDS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  @Override
  public String toString() {
    return key.wireName() + "=" + value;
  }
}
