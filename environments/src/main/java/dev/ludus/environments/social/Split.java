package dev.ludus.environments.social;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many of each item type one side takes (or has, or values), in the order book, hat, ball. Immutable.
 *
 * @param book books
 * @param hat hats
 * @param ball balls
 */
record Split(int book, int hat, int ball) {
  static final String[] ITEMS = {"book", "hat", "ball"};
  private static final Pattern COUNT = Pattern.compile("(?i)\\b(book|hat|ball)s?\\s*[=:]\\s*(\\d{1,3})\\b");

  int get(int item) {
    return switch (item) {
      case 0 -> book;
      case 1 -> hat;
      default -> ball;
    };
  }

  int total() {
    return book + hat + ball;
  }

  /** Σ count·value: what these items are worth at {@code values}. */
  int valueAt(Split values) {
    return book * values.book + hat * values.hat + ball * values.ball;
  }

  /** What is left of {@code all} when this side takes its share. */
  Split restOf(Split all) {
    return new Split(all.book - book, all.hat - hat, all.ball - ball);
  }

  /** Whether this share fits in {@code all} (no count negative or above what there is). */
  boolean fitsIn(Split all) {
    for (int i = 0; i < 3; i++) {
      if (get(i) < 0 || get(i) > all.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** As offers are written: {@code book=1 hat=0 ball=2}. */
  String counts() {
    return "book=" + book + " hat=" + hat + " ball=" + ball;
  }

  /** As values are written: {@code book:4 hat:1 ball:2}. */
  String values() {
    return "book:" + book + " hat:" + hat + " ball:" + ball;
  }

  /**
   * The counts written in {@code text} ({@code book=1 hat=0 ball=2}, any order, plurals and {@code :} allowed, an
   * item left out counts 0); empty when no item is named or one is named twice.
   */
  static Optional<Split> parse(String text) {
    int[] counts = new int[3];
    boolean[] seen = new boolean[3];
    Matcher m = COUNT.matcher(text);
    boolean any = false;
    while (m.find()) {
      String item = m.group(1).toLowerCase(java.util.Locale.ROOT);
      int i = item.equals("book") ? 0 : item.equals("hat") ? 1 : 2;
      if (seen[i]) {
        return Optional.empty();
      }
      seen[i] = true;
      counts[i] = Integer.parseInt(m.group(2));
      any = true;
    }
    return any ? Optional.of(new Split(counts[0], counts[1], counts[2])) : Optional.empty();
  }
}
