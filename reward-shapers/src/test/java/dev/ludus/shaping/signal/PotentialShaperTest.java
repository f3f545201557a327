package dev.ludus.shaping.signal;

import dev.ludus.api.SignalKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PotentialShaperTest {
  private static final String SIGNAL = "steps-to-goal";
  private final PotentialShaperProvider provider = new PotentialShaperProvider();

  @Test
  void aShrinkingDistancePaysItsDecreaseWithTheDefaultNegativeScale() {
    Episode e = SignalFixtures.numeric(SIGNAL, 5.0, List.of(4.0, 4.0, 1.0)).truncated().build();

    double[] r = SignalFixtures.values(provider.create(PotentialShaperProvider.Config.of(SIGNAL)), e, "potential");

    assertArrayEquals(new double[] {1, 0, 3}, r, 1e-12);
  }

  @Test
  void aTurnWithoutTheSignalCarriesTheLastKnownValue() {
    Episode e = SignalFixtures.numeric(SIGNAL, 5.0, Arrays.asList(4.0, null, 2.0)).truncated().build();

    double[] r = SignalFixtures.values(provider.create(PotentialShaperProvider.Config.of(SIGNAL)), e, "potential");

    assertArrayEquals(new double[] {1, 0, 2}, r, 1e-12);
  }

  @Test
  void turnsBeforeTheFirstKnownValueGetNoContribution() {
    Episode e = SignalFixtures.numeric(SIGNAL, null, Arrays.asList(null, 6.0, 4.0)).truncated().build();

    double[] r = SignalFixtures.values(provider.create(PotentialShaperProvider.Config.of(SIGNAL)), e, "potential");

    assertTrue(Double.isNaN(r[0]) && Double.isNaN(r[1]), Arrays.toString(r));
    assertEquals(2.0, r[2], 1e-12);
  }

  @Test
  void terminalZeroSetsThePotentialAfterATerminatingLastTurnToZeroButNotAfterATruncation() {
    RewardShaper shaper = provider.create(new PotentialShaperProvider.Config(SIGNAL, 0.5, 2.0, true));
    Episode terminated = SignalFixtures.numeric(SIGNAL, 1.0, List.of(3.0, 7.0)).build();
    Episode truncated = SignalFixtures.numeric(SIGNAL, 1.0, List.of(3.0, 7.0)).truncated().build();

    // r_0 = 0.5·2·3 − 2·1 = 1; r_1 = 0.5·Φ(s_2) − 2·3 with Φ(s_2) = 0 (terminated) or 14 (truncated)
    assertArrayEquals(new double[] {1, -6}, SignalFixtures.values(shaper, terminated, "potential"), 1e-12);
    assertArrayEquals(new double[] {1, 1}, SignalFixtures.values(shaper, truncated, "potential"), 1e-12);
  }

  @Test
  void withoutTerminalZeroTheLastStateKeepsItsPotential() {
    RewardShaper shaper = provider.create(new PotentialShaperProvider.Config(SIGNAL, 1.0, -1.0, false));
    Episode terminated = SignalFixtures.numeric(SIGNAL, 3.0, List.of(1.0)).build();

    assertArrayEquals(new double[] {2}, SignalFixtures.values(shaper, terminated, "potential"), 1e-12);
  }

  @Test
  void requiredSignalsNameTheConfiguredSignalAndTheScopeIsTurn() {
    RewardShaper shaper = provider.create(PotentialShaperProvider.Config.of(SIGNAL));

    assertEquals(Set.of(SignalKey.of(SIGNAL, Double.class)), shaper.requiredSignals());
    assertEquals(RewardShaper.Scope.TURN, shaper.scope());
  }

  @Test
  void configRejectsAGammaOutsideZeroToOneNamingFieldValueAndRange() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new PotentialShaperProvider.Config(SIGNAL, 1.5, -1.0, true));

    assertEquals("gamma must be between 0 and 1, was 1.5", ex.getMessage());
  }

  @Test
  void configRejectsASignalNameThatIsNotKebabCase() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new PotentialShaperProvider.Config("Steps To Goal", 1.0, -1.0, true));

    assertEquals("signal must be a kebab-case signal name (e.g. candidate-entropy), was 'Steps To Goal'",
        ex.getMessage());
  }

  @Test
  void configRejectsAnInfiniteScale() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new PotentialShaperProvider.Config(SIGNAL, 1.0, Double.POSITIVE_INFINITY, true));

    assertEquals("scale must be a finite number, was Infinity", ex.getMessage());
  }

  @Test
  void createRefusesTheDefaultsBecauseTheSignalIsRequired() {
    ConfigException ex = assertThrows(ConfigException.class, () -> provider.create(provider.defaultConfig()));

    assertTrue(ex.getMessage().startsWith("potential: signal is required"), ex.getMessage());
  }

  @Test
  void aSignalThatIsNotANumberFailsTheEpisodeInThePipelineNamingTheShaper() {
    Episode e = dev.ludus.shaping.testing.EpisodeBuilder.on("task")
        .turn("go", 0.0, SignalFixtures.text(SIGNAL, "far")).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("potential", provider.create(PotentialShaperProvider.Config.of(SIGNAL)), 1.0).build();

    Episode scored = pipeline.score(e);

    assertEquals(dev.ludus.api.EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("shaper 'potential'") && scored.failure().contains("is not a number"),
        scored.failure());
  }

  @Test
  void pipelineRecordsEachTurnsRawPotentialDifferenceAndItsWeightedValue() {
    Episode e = SignalFixtures.numeric(SIGNAL, 4.0, List.of(3.0, 1.0)).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("potential", provider.create(PotentialShaperProvider.Config.of(SIGNAL)), 0.5).build();

    Episode scored = pipeline.score(e);

    // Φ = −value: r_0 = −3 − (−4) = 1; r_1 = Φ(terminal) = 0 minus Φ(s_1) = −3, so 3
    assertEquals(List.of(new LedgerEntry(0, "potential", "potential", 1.0, 0.5),
        new LedgerEntry(1, "potential", "potential", 3.0, 1.5)), scored.ledger());
    assertEquals(Set.of(SignalKey.of(SIGNAL, Double.class)), pipeline.requiredSignals());
  }
}
