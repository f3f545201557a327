package dev.ludus.environments.sparse;

/** Validation for the configuration records: messages name the field, the bad value and what is allowed. */
final class ConfigChecks {
  private ConfigChecks() {}

  static int between(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static double between(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  static int oddBetween(String field, int value, int min, int max) {
    if (value < min || value > max || value % 2 == 0) {
      throw new IllegalArgumentException(
          field + " must be an odd number between " + min + " and " + max + ", was " + value);
    }
    return value;
  }
}
