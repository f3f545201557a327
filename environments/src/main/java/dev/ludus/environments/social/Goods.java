package dev.ludus.environments.social;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantities of {@code trading}'s five resources (TextArena's SimpleNegotiation): Wheat, Wood, Sheep, Brick and Ore,
 * in that order. Used for inventories, the two sides of an offer, and values per unit. Immutable.
 */
record Goods(List<Integer> amounts) {
  static final List<String> NAMES = List.of("Wheat", "Wood", "Sheep", "Brick", "Ore");
  static final int[] BASE_VALUES = {5, 10, 15, 25, 40};
  private static final Pattern ITEM = Pattern.compile("(?i)^(\\d{1,3})\\s+(wheat|wood|sheep|brick|ore)s?$");
  private static final Pattern SEPARATOR = Pattern.compile("(?i)\\s*(?:,|;|\\band\\b|&|\\+)\\s*");

  Goods {
    amounts = List.copyOf(amounts);
    if (amounts.size() != NAMES.size()) {
      throw new IllegalArgumentException("five amounts, one per resource " + NAMES + "; got " + amounts);
    }
  }

  static Goods of(int... amounts) {
    return new Goods(Arrays.stream(amounts).boxed().toList());
  }

  static Goods none() {
    return of(0, 0, 0, 0, 0);
  }

  int get(int i) {
    return amounts.get(i);
  }

  /** Σ amount·value. */
  int valueAt(Goods values) {
    int v = 0;
    for (int i = 0; i < NAMES.size(); i++) {
      v += get(i) * values.get(i);
    }
    return v;
  }

  Goods plus(Goods other) {
    int[] out = new int[NAMES.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i) + other.get(i);
    }
    return of(out);
  }

  Goods minus(Goods other) {
    int[] out = new int[NAMES.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i) - other.get(i);
    }
    return of(out);
  }

  /** Whether there are at least {@code other} of every resource here. */
  boolean covers(Goods other) {
    for (int i = 0; i < NAMES.size(); i++) {
      if (get(i) < other.get(i)) {
        return false;
      }
    }
    return true;
  }

  boolean isEmpty() {
    return amounts.stream().allMatch(a -> a == 0);
  }

  /** As an offer names them: {@code 3 Sheep, 2 Ore}; {@code nothing} when empty. */
  String text() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      if (get(i) > 0) {
        parts.add(get(i) + " " + NAMES.get(i));
      }
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  /**
   * The goods one side of an offer names: amounts and resource names separated by commas, semicolons, {@code and},
   * {@code &} or {@code +} ({@code 3 Sheep, 2 Ore}; plurals and any case allowed; a resource named twice adds up).
   * Empty when any part is not {@code <number> <resource>} or the total is nothing.
   */
  static Optional<Goods> parse(String side) {
    int[] out = new int[NAMES.size()];
    String s = side.strip();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    for (String part : SEPARATOR.split(s)) {
      Matcher m = ITEM.matcher(part.strip());
      if (!m.matches()) {
        return Optional.empty();
      }
      String name = m.group(2).toLowerCase(Locale.ROOT);
      for (int i = 0; i < NAMES.size(); i++) {
        if (NAMES.get(i).toLowerCase(Locale.ROOT).equals(name)) {
          out[i] += Integer.parseInt(m.group(1));
        }
      }
    }
    Goods g = of(out);
    return g.isEmpty() ? Optional.empty() : Optional.of(g);
  }
}
