package dev.ludus.environments.sql;

/**
 * Python's string operations that the reference reward code relies on, with their exact semantics, so that
 * the rewards agree with the papers' code on every input. Stateless.
 */
final class PythonText {
  private PythonText() {}

  /** Python's {@code text.count(sub)}: non-overlapping occurrences, from the left. */
  static int count(String text, String sub) {
    int n = 0;
    for (int i = text.indexOf(sub); i >= 0; i = text.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }

  /** Python's {@code text.split(sep)[-1]}: what follows the last of the non-overlapping separators. */
  static String lastPiece(String text, String sep) {
    int end = -1;
    for (int i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, i + sep.length())) {
      end = i + sep.length();
    }
    return end < 0 ? text : text.substring(end);
  }

  /** Python's {@code len(text)}: code points, not UTF-16 units. */
  static int len(String text) {
    return text.codePointCount(0, text.length());
  }
}
