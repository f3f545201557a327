package dev.ludus.agents.openai;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: exponential backoff with full jitter, and {@code Retry-After} parsing. Stateless. */
final class Backoff {
  private Backoff() {}

  /**
   * The delay before retry number {@code retry} (1 for the first retry): uniform in
   * {@code [0, min(max, base * 2^(retry-1))]} ("full jitter").
   */
  static long fullJitter(int retry, long baseMillis, long maxMillis) {
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long cap = baseMillis > (Long.MAX_VALUE >> shift) ? maxMillis : Math.min(maxMillis, baseMillis << shift);
    return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
  }

  /**
   * The wait a {@code Retry-After} header asks for, in milliseconds: delta-seconds (integer or decimal) or an
   * HTTP date (RFC 1123) relative to {@code now}. -1 when the header is absent or unreadable.
   */
  static long retryAfterMillis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String v = header.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds) ? -1 : (long) Math.ceil(seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
