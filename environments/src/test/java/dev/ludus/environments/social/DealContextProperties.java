package dev.ludus.environments.social;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The laws verified on the original self-play contexts hold for every generated context. */
class DealContextProperties {
  @Property(tries = 2_000)
  void eachSidesItemsAreWorthTenInAll(@ForAll long seed) {
    Deal d = Deal.generate(seed);
    check(d.counts().valueAt(d.first()) == 10 && d.counts().valueAt(d.second()) == 10, d);
  }

  @Property(tries = 2_000)
  void thereAreFiveToSevenItemsAndAtLeastOneOfEachType(@ForAll long seed) {
    Deal d = Deal.generate(seed);
    check(d.counts().total() >= 5 && d.counts().total() <= 7, d);
    for (int i = 0; i < 3; i++) {
      check(d.counts().get(i) >= 1, d);
    }
  }

  @Property(tries = 2_000)
  void noItemIsWorthlessToBoth(@ForAll long seed) {
    Deal d = Deal.generate(seed);
    for (int i = 0; i < 3; i++) {
      check(d.first().get(i) > 0 || d.second().get(i) > 0, d);
    }
  }

  @Property(tries = 500)
  void aContextSurvivesTheOriginalNotation(@ForAll long seed) {
    Deal d = Deal.generate(seed);
    check(LewisData.deal(LewisData.context(d, 0), LewisData.context(d, 1), "test", 1).equals(d), d);
  }

  private static void check(boolean law, Deal d) {
    if (!law) {
      throw new AssertionError("law broken by " + d);
    }
  }
}
