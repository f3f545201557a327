package dev.ludus.simulators.tutoring;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Generates problems with exact answers from a seed, in four kinds: a linear equation {@code a·x + b = c} (two
 * steps), adding two fractions with different denominators (three), a price after a percentage discount (three),
 * and a distance from a speed per hour and a time in minutes (two). Every intermediate result and the answer differ
 * from the numbers in the question and from each other, so that the leak check can tell them apart. Stateless and
 * thread-safe.
 */
public final class ProblemGenerator {
  /** The kinds of problem. */
  public enum Kind {
    LINEAR_EQUATION, FRACTION_ADDITION, PERCENT_DISCOUNT, SPEED_DISTANCE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code wire}; fails naming the value and the allowed ones. */
    public static Kind fromWire(String wire) {
      for (Kind k : values()) {
        if (k.wireName().equals(wire)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown problem kind '" + wire + "'; allowed: "
          + Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", ")));
    }
  }

  private ProblemGenerator() {}

  /** A problem of one of {@code kinds} (all when empty), determined by {@code seed}. */
  public static Problem generate(List<Kind> kinds, long seed) {
    List<Kind> pool = kinds.isEmpty() ? List.of(Kind.values()) : kinds;
    SplittableRandom r = new SplittableRandom(seed);
    Kind kind = pool.get(r.nextInt(pool.size()));
    for (int attempt = 0; ; attempt++) {
      Problem p = switch (kind) {
        case LINEAR_EQUATION -> linear(r, seed);
        case FRACTION_ADDITION -> fractions(r, seed);
        case PERCENT_DISCOUNT -> discount(r, seed);
        case SPEED_DISTANCE -> speed(r, seed);
      };
      if (p != null) {
        return p;
      }
      if (attempt > 10_000) {
        throw new IllegalStateException("no " + kind.wireName() + " problem for seed " + seed);
      }
    }
  }

  private static Problem linear(SplittableRandom r, long seed) {
    int a = 2 + r.nextInt(8);
    int x = 2 + r.nextInt(11);
    int b = 1 + r.nextInt(20);
    int c = a * x + b;
    if (!distinct(List.of(a, b, c), c - b, x)) {
      return null;
    }
    String q = "Solve for x: " + a + "x + " + b + " = " + c + ".";
    return new Problem("linear-" + Long.toUnsignedString(seed), q, String.valueOf(x), List.of(
        new Problem.Step("inverse-operation", List.of(String.valueOf(c - b)),
            "I'd subtract " + b + " from both sides, so " + a + "x = " + (c - b) + "."),
        new Problem.Step("divide-both-sides", List.of(String.valueOf(x)),
            "Then I divide both sides by " + a + ". So the answer is x = " + x + ".")));
  }

  private static Problem fractions(SplittableRandom r, long seed) {
    int b = 2 + r.nextInt(7);
    int d = 2 + r.nextInt(7);
    int a = 1 + r.nextInt(b - 1);
    int c = 1 + r.nextInt(d - 1);
    if (b == d || gcd(a, b) != 1 || gcd(c, d) != 1) {
      return null;
    }
    int l = b / gcd(b, d) * d;
    int a2 = a * l / b;
    int c2 = c * l / d;
    int sum = a2 + c2;
    if (gcd(sum, l) != 1 || !distinct(List.of(a, b, c, d), l, a2, c2, sum)) {
      return null;
    }
    String q = "What is " + a + "/" + b + " + " + c + "/" + d + "?";
    String answer = sum + "/" + l;
    return new Problem("fractions-" + Long.toUnsignedString(seed), q, answer, List.of(
        new Problem.Step("common-denominator", List.of(String.valueOf(l)),
            "The common denominator is " + l + "."),
        new Problem.Step("equivalent-fractions", List.of(a2 + "/" + l, c2 + "/" + l),
            "So " + a + "/" + b + " is " + a2 + "/" + l + " and " + c + "/" + d + " is " + c2 + "/" + l + "."),
        new Problem.Step("add-numerators", List.of(answer),
            "Adding the tops gives " + sum + ". So the answer is " + answer + ".")));
  }

  private static Problem discount(SplittableRandom r, long seed) {
    int price = 20 * (1 + r.nextInt(10));
    int[] percents = {10, 20, 25, 30, 40, 60, 75};
    int p = percents[r.nextInt(percents.length)];
    if (price * p % 100 != 0) {
      return null;
    }
    int off = price * p / 100;
    int left = price - off;
    if (!distinct(List.of(price, p), off, left)) {
      return null;
    }
    String decimal = BigDecimal.valueOf(p, 2).stripTrailingZeros().toPlainString();
    String q = "A jacket costs " + price + " dollars and is " + p + "% off. What does it cost now, in dollars?";
    return new Problem("discount-" + Long.toUnsignedString(seed), q, String.valueOf(left), List.of(
        new Problem.Step("percent-to-decimal", List.of(decimal), p + "% is " + decimal + " as a decimal."),
        new Problem.Step("percent-of-amount", List.of(String.valueOf(off)),
            "The discount is " + price + " times " + decimal + ", which is " + off + " dollars."),
        new Problem.Step("subtract-discount", List.of(String.valueOf(left)),
            "Then " + price + " minus " + off + ". So the answer is " + left + " dollars.")));
  }

  private static Problem speed(SplittableRandom r, long seed) {
    int v = 20 + 4 * r.nextInt(26);
    int[] minutes = {30, 45, 90, 150};
    int m = minutes[r.nextInt(minutes.length)];
    if (v * m % 60 != 0) {
      return null;
    }
    int dist = v * m / 60;
    String hours = BigDecimal.valueOf(m).divide(BigDecimal.valueOf(60)).stripTrailingZeros().toPlainString();
    if (!distinct(List.of(v, m), dist) || Set.of(String.valueOf(v), String.valueOf(m)).contains(hours)) {
      return null;
    }
    String q = "A train goes " + v + " km per hour for " + m + " minutes. How far does it go, in km?";
    return new Problem("speed-" + Long.toUnsignedString(seed), q, String.valueOf(dist), List.of(
        new Problem.Step("minutes-to-hours", List.of(hours), m + " minutes is " + hours + " hours."),
        new Problem.Step("rate-times-time", List.of(String.valueOf(dist)),
            "Then " + v + " times " + hours + ". So the answer is " + dist + " km.")));
  }

  private static boolean distinct(List<Integer> given, int... results) {
    Set<Integer> seen = new HashSet<>(given);
    for (int v : results) {
      if (!seen.add(v)) {
        return false;
      }
    }
    return true;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? Math.abs(a) : gcd(b, a % b);
  }
}
