package dev.ludus.runner.learn.advantage;

import java.util.Objects;

/** Validation shared by the config records; each failure names the field, its value and what is allowed. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void unitInterval(String config, String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(config + "." + field + " must be in [0, 1], was " + value);
    }
  }

  static void positive(String config, String field, double value) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(config + "." + field + " must be a finite number > 0, was " + value);
    }
  }

  static <T> T nonNull(String config, String field, T value) {
    return Objects.requireNonNull(value, config + "." + field + " must not be null");
  }
}
