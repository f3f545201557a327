package dev.ludus.environments.tools.sandbox;

import java.math.BigDecimal;
import java.util.Locale;

/** Amounts of money, kept in cents and shown with two decimals. */
final class Money {
  private Money() {}

  /** {@code cents} as a JSON-ready decimal with two places, e.g. 1250 → 12.50. */
  static BigDecimal decimal(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** {@code cents} as text for requests, e.g. 1250 → "12.50", 1200 → "12". */
  static String words(long cents) {
    return cents % 100 == 0 ? Long.toString(cents / 100) : String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }

  /** A virtual time of day from minutes since midnight, e.g. 570 → "09:30". */
  static String clock(long minutes) {
    long m = Math.floorMod(minutes, 24 * 60);
    return String.format(Locale.ROOT, "%02d:%02d", m / 60, m % 60);
  }
}
