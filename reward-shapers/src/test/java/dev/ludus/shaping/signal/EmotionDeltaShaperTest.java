package dev.ludus.shaping.signal;

import dev.ludus.api.StandardSignals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmotionDeltaShaperTest {
  private final EmotionDeltaShaperProvider provider = new EmotionDeltaShaperProvider();

  @Test
  void deltaModePaysEachTurnsChangeInEmotionOverAHundred() {
    Episode e = SignalFixtures.numeric("emotion", 50.0, Arrays.asList(60.0, null, 45.0)).build();

    double[] r = SignalFixtures.values(provider.create(provider.defaultConfig()), e, "emotion-delta");

    assertArrayEquals(new double[] {0.1, 0, -0.15}, r, 1e-12);
  }

  @Test
  void finalModePaysTheLastEmotionOverAHundredOnTheLastTurn() {
    Episode e = SignalFixtures.numeric("emotion", 50.0, List.of(60.0, 80.0)).build();

    double[] r = SignalFixtures.values(
        provider.create(new EmotionDeltaShaperProvider.Config("emotion", "final")), e, "emotion-delta");

    assertEquals(Double.NaN, r[0]);
    assertEquals(0.8, r[1], 1e-12);
  }

  @Test
  void anEpisodeThatNeverPublishesTheEmotionGetsNothing() {
    Episode e = SignalFixtures.numeric("emotion", null, Arrays.asList(null, null)).build();

    assertEquals(List.of(),
        provider.create(new EmotionDeltaShaperProvider.Config("emotion", "final")).shape(e));
    assertEquals(List.of(), provider.create(provider.defaultConfig()).shape(e));
  }

  @Test
  void deltaModeIsTurnScopedAndFinalModeEpisodeScoped() {
    RewardShaper delta = provider.create(provider.defaultConfig());
    RewardShaper fin = provider.create(new EmotionDeltaShaperProvider.Config("emotion", "final"));

    assertEquals(RewardShaper.Scope.TURN, delta.scope());
    assertEquals(RewardShaper.Scope.EPISODE, fin.scope());
    assertEquals(Set.of(StandardSignals.EMOTION), delta.requiredSignals());
    assertEquals(Set.of(StandardSignals.EMOTION), fin.requiredSignals());
  }

  @Test
  void configReadsTheModeCaseInsensitively() {
    assertEquals("final", new EmotionDeltaShaperProvider.Config("emotion", " FINAL ").mode());
  }

  @Test
  void configRejectsAnUnknownModeNamingTheAllowedOnes() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new EmotionDeltaShaperProvider.Config("emotion", "sum"));

    assertEquals("mode must be 'delta' or 'final', was 'sum'", ex.getMessage());
  }

  @Test
  void pipelineRecordsTheEmotionDeltas() {
    Episode e = SignalFixtures.numeric("emotion", 40.0, List.of(70.0, 60.0)).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("emotion-delta", provider.create(provider.defaultConfig()), 2.0).build();

    List<LedgerEntry> ledger = pipeline.score(e).ledger();

    assertEquals(2, ledger.size());
    assertLedger(ledger.get(0), 0, 0.3, 0.6);
    assertLedger(ledger.get(1), 1, -0.1, -0.2);
  }

  private static void assertLedger(LedgerEntry entry, int turn, double raw, double value) {
    assertEquals(turn, entry.turn());
    assertEquals("emotion-delta", entry.source());
    assertEquals("emotion-delta", entry.component());
    assertEquals(raw, entry.raw(), 1e-12);
    assertEquals(value, entry.value(), 1e-12);
  }
}
