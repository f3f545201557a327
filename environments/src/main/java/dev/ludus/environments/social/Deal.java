package dev.ludus.environments.social;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One negotiation's context: the items on the table and each side's private values, generated under the constraints
 * verified on the original self-play contexts (Lewis et al. 2017, {@code selfplay.txt}): each side's items are worth
 * 10 in all (Σ count·value = 10), there are 5 to 7 items in all (at least one of each type), and no item type is
 * worthless to both sides. Immutable.
 *
 * @param counts how many books, hats and balls there are
 * @param first the first seat's values (alice)
 * @param second the second seat's values (bob)
 */
record Deal(Split counts, Split first, Split second) {
  static final int TOTAL_VALUE = 10;

  /** Every count vector allowed: 1 to 5 of each type, 5 to 7 items in all, with values that can sum to 10. */
  private static final List<Split> COUNTS = new ArrayList<>();

  static {
    for (int b = 1; b <= 5; b++) {
      for (int h = 1; h <= 5; h++) {
        for (int l = 1; l <= 5; l++) {
          Split c = new Split(b, h, l);
          if (c.total() >= 5 && c.total() <= 7 && !valuations(c).isEmpty()) {
            COUNTS.add(c);
          }
        }
      }
    }
  }

  /** Every value vector (non-negative integers) under which {@code counts} is worth exactly 10. */
  static List<Split> valuations(Split counts) {
    List<Split> out = new ArrayList<>();
    for (int b = 0; b * counts.book() <= TOTAL_VALUE; b++) {
      for (int h = 0; b * counts.book() + h * counts.hat() <= TOTAL_VALUE; h++) {
        int rest = TOTAL_VALUE - b * counts.book() - h * counts.hat();
        if (rest % counts.ball() == 0) {
          out.add(new Split(b, h, rest / counts.ball()));
        }
      }
    }
    return out;
  }

  /** The context of a generated task: a function of {@code seed} only. */
  static Deal generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    while (true) {
      Split counts = COUNTS.get(random.nextInt(COUNTS.size()));
      List<Split> values = valuations(counts);
      Split a = values.get(random.nextInt(values.size()));
      Split b = values.get(random.nextInt(values.size()));
      boolean worthlessToBoth = false;
      for (int i = 0; i < 3; i++) {
        worthlessToBoth |= a.get(i) == 0 && b.get(i) == 0;
      }
      if (!worthlessToBoth) {
        return new Deal(counts, a, b);
      }
    }
  }

  /** The values of the seat at {@code seat} (0: the first, 1: the second). */
  Split values(int seat) {
    return seat == 0 ? first : second;
  }
}
