package dev.ludus.shaping.signal;

import dev.ludus.api.SignalKey;
import static dev.ludus.shaping.signal.SignalFixtures.both;
import static dev.ludus.shaping.signal.SignalFixtures.flag;
import static dev.ludus.shaping.signal.SignalFixtures.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import org.junit.jupiter.api.Test;

class RetrievalCreditShaperTest {
  static final RetrievalCreditShaperProvider P = new RetrievalCreditShaperProvider();

  /** Search (gold, new fact), search (gold again, nothing new), search (no gold), answer. */
  static Episode episode() {
    return EpisodeBuilder.on("q").startSignals(num("supporting-facts-found", 0))
        .turn("<search>a</search>", 0, both(flag("gold-retrieved", true), num("supporting-facts-found", 1)))
        .turn("<search>a</search>", 0, both(flag("gold-retrieved", true), num("supporting-facts-found", 1)))
        .turn("<search>b</search>", 0, both(flag("gold-retrieved", false), num("supporting-facts-found", 1)))
        .turn("<answer>x</answer>", 1, num("supporting-facts-found", 1))
        .build();
  }

  @Test
  void paysANewGoldHitOnlyAndTheMissValueForASearchWithoutGold() {
    RewardShaper s = P.create(new RetrievalCreditShaperProvider.Config(null, null, 1.0, -0.1));
    assertArrayEquals(new double[] {1.0, 0.0, -0.1, Double.NaN}, SignalFixtures.values(s, episode(), "retrieval-credit"));
  }

  @Test
  void withoutAProgressSignalEveryGoldHitPays() {
    RewardShaper s = P.create(new RetrievalCreditShaperProvider.Config("gold-retrieved", "", 0.5, 0.0));
    assertArrayEquals(new double[] {0.5, 0.5, 0.0, Double.NaN}, SignalFixtures.values(s, episode(), "retrieval-credit"));
    assertEquals(java.util.Set.of(SignalKey.of("gold-retrieved", Boolean.class)), s.requiredSignals());
  }

  @Test
  void aHitSignalThatIsNotABooleanFailsNamingIt() {
    Episode e = EpisodeBuilder.on("q").turn("x", 0, Signals.builder().putAll(num("gold-retrieved", 1)).build()).build();
    IllegalStateException ex = assertThrows(IllegalStateException.class, () -> P.create(P.defaultConfig()).shape(e));
    assertEquals(true, ex.getMessage().contains("gold-retrieved"));
  }
}
