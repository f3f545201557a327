package dev.ludus.shaping.text;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation helpers for the text shapers' configuration records: each failure names the field, the bad
 * value and what is allowed. Stateless.
 */
final class TextConfigs {
  private TextConfigs() {}

  private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_:-]*");

  static void checkTag(String field, String value, boolean allowEmpty) {
    if (value.isEmpty() && allowEmpty) {
      return;
    }
    if (!TAG_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be a tag name (letters, digits, '_', ':' or '-', not "
          + "starting with a digit" + (allowEmpty ? "; empty for none" : "") + "), was '" + value + "'");
    }
  }

  static String checkOneOf(String field, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ", was '"
          + value + "'");
    }
    return value;
  }

  static void checkFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, was " + value);
    }
  }

  static void checkAtMostZero(String field, double value) {
    if (!Double.isFinite(value) || value > 0) {
      throw new IllegalArgumentException(field + " must be a finite number <= 0 (a penalty), was " + value);
    }
  }
}
