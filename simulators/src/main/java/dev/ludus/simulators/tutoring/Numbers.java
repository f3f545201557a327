package dev.ludus.simulators.tutoring;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers and fractions in text, normalised so that {@code 0.50} and {@code 0.5} compare equal. */
final class Numbers {
  private static final Pattern TOKEN = Pattern.compile("(?<![\\d.])-?\\d+(?:\\.\\d+)?(?:\\s*/\\s*\\d+)?");

  private Numbers() {}

  /** The numbers and fractions in {@code text}, normalised, in order of first appearance. */
  static Set<String> tokens(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(text == null ? "" : text);
    while (m.find()) {
      out.add(normalise(m.group()));
    }
    return out;
  }

  static String normalise(String token) {
    String t = token.replaceAll("\\s+", "");
    int slash = t.indexOf('/');
    if (slash >= 0) {
      return plain(t.substring(0, slash)) + "/" + plain(t.substring(slash + 1));
    }
    return plain(t);
  }

  private static String plain(String n) {
    try {
      return new BigDecimal(n).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return n;
    }
  }
}
