package dev.ludus.shaping.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalRewardShaperTest {
  static final SignalKey<Double> SR1 = SignalKey.of("search-r1-reward", Double.class);
  static final SignalRewardShaperProvider P = new SignalRewardShaperProvider();

  @Test
  void paysTheScaledSignalOnTheTurnsThatPublishItUnderItsName() {
    Episode e = EpisodeBuilder.on("q").turn("search", 0, Signals.empty())
        .turn("answer 1", 0.5, Signals.of(SR1, 0.2)).turn("answer 2", 0.5, Signals.of(SR1, 1.0)).build();
    List<RewardContribution> out = P.create(new SignalRewardShaperProvider.Config("search-r1-reward", 0.5)).shape(e);
    assertEquals(List.of(new RewardContribution(1, "search-r1-reward", 0.1),
        new RewardContribution(2, "search-r1-reward", 0.5)), out);
  }

  @Test
  void aMissingSignalNameOrABadOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> P.create(P.defaultConfig()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SignalRewardShaperProvider.Config("Search R1", 1));
    assertTrue(e.getMessage().contains("kebab-case"));
  }
}
