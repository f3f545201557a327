package dev.ludus.environments.social;

import java.util.SplittableRandom;

/**
 * One {@code trading} game's start: each seat's inventory (5 to 25 of each resource) and its private values per unit
 * (each resource's base value, Wheat 5, Wood 10, Sheep 15, Brick 25, Ore 40, times a factor drawn from 0.8 to 1.2 and
 * rounded), as in TextArena's SimpleNegotiation. A function of the task seed. Immutable.
 */
record Market(Goods[] inventories, Goods[] values) {
  static Market generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Goods[] inventories = new Goods[2];
    Goods[] values = new Goods[2];
    for (int s = 0; s < 2; s++) {
      int[] inv = new int[Goods.NAMES.size()];
      int[] val = new int[Goods.NAMES.size()];
      for (int i = 0; i < inv.length; i++) {
        inv[i] = 5 + random.nextInt(21);
        val[i] = (int) Math.round(Goods.BASE_VALUES[i] * (0.8 + 0.4 * random.nextDouble()));
      }
      inventories[s] = Goods.of(inv);
      values[s] = Goods.of(val);
    }
    return new Market(inventories, values);
  }

  /** Values as the opening and the private view write them: {@code Wheat:5 Wood:11 ...}. */
  static String valuesText(Goods values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Goods.NAMES.size(); i++) {
      b.append(i == 0 ? "" : " ").append(Goods.NAMES.get(i)).append(':').append(values.get(i));
    }
    return b.toString();
  }
}
