package dev.ludus.shaping.signal;

import dev.ludus.api.SignalKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributionShaperTest {
  private final AttributionShaperProvider provider = new AttributionShaperProvider();

  private static AttributionShaperProvider.Config config(String score, String weights, double decay,
      String weightSignal, boolean normalized) {
    return new AttributionShaperProvider.Config(score, weights, decay, weightSignal, normalized, 3.0);
  }

  @Test
  void byDefaultTheReturnIsSpreadEvenlyOverTheTurns() {
    Episode e = EpisodeBuilder.on("task").turn("a", 0.0).turn("b", 0.0).turn("c", 0.0).turn("d", 2.0).build();

    double[] r = SignalFixtures.values(provider.create(provider.defaultConfig()), e, "attribution");

    assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, r, 1e-12);
  }

  @Test
  void recencyWeightsDecayGeometricallyBackFromTheLastTurn() {
    Episode e = EpisodeBuilder.on("task").turn("a", 0.0).turn("b", 0.0).turn("c", 7.0).build();

    double[] r = SignalFixtures.values(provider.create(config("return", "recency", 0.5, null, true)), e,
        "attribution");

    assertArrayEquals(new double[] {1, 2, 4}, r, 1e-12);
  }

  @Test
  void signalWeightsComeFromTheJudgesPerTurnLabelAndAMissingLabelWeighsNothing() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.num("attribution", 3))
        .turn("b", 0.0, Signals.empty())
        .turn("c", 0.0, SignalFixtures.both(SignalFixtures.num("attribution", 1), SignalFixtures.num("goal", 8)))
        .build();

    double[] r = SignalFixtures.values(provider.create(config("goal", "signal", 0.8, "attribution", true)), e,
        "attribution");

    assertArrayEquals(new double[] {6, 0, 2}, r, 1e-12);
  }

  @Test
  void weightsSummingToZeroSpreadTheScoreUniformly() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 1.0, SignalFixtures.num("attribution", 0))
        .turn("b", 2.0, SignalFixtures.num("attribution", 0)).build();

    double[] r = SignalFixtures.values(provider.create(config("return", "signal", 0.8, "attribution", true)), e,
        "attribution");

    assertArrayEquals(new double[] {1.5, 1.5}, r, 1e-12);
  }

  @Test
  void theUnnormalizedVariantScalesByAMaxAndGivesARedundantUtteranceMinusOne() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.num("attribution", -1))
        .turn("b", 0.0, SignalFixtures.num("attribution", 2))
        .turn("c", 6.0, SignalFixtures.num("attribution", 3)).build();

    double[] r = SignalFixtures.values(provider.create(config("return", "signal", 0.8, "attribution", false)), e,
        "attribution");

    assertArrayEquals(new double[] {-1, 4, 6}, r, 1e-12);
  }

  @Test
  void theScoreSignalIsReadFromTheLastTurnThatPublishesIt() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.num("goal", 1))
        .turn("b", 0.0, SignalFixtures.num("goal", 4))
        .turn("c", 0.0, Signals.empty()).build();

    double[] r = SignalFixtures.values(provider.create(config("goal", "uniform", 0.8, null, true)), e, "attribution");

    assertArrayEquals(new double[] {4.0 / 3, 4.0 / 3, 4.0 / 3}, r, 1e-12);
  }

  @Test
  void anEpisodeWithoutTheScoreSignalFailsNamingTheShaperAndTheSignal() {
    Episode e = EpisodeBuilder.on("task").turn("a", 1.0).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("attribution", provider.create(config("goal", "uniform", 0.8, null, true)), 1.0).build();

    Episode scored = pipeline.score(e);

    assertEquals(EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("shaper 'attribution'") && scored.failure().contains("'goal'"),
        scored.failure());
  }

  @Test
  void requiredSignalsAreTheScoreAndWeightSignalsAndTheScopeIsEpisode() {
    assertEquals(Set.of(), provider.create(provider.defaultConfig()).requiredSignals());
    RewardShaper shaper = provider.create(config("goal", "signal", 0.8, "attribution", true));
    assertEquals(Set.of(SignalKey.of("goal", Double.class), SignalKey.of("attribution", Double.class)), shaper.requiredSignals());
    assertEquals(RewardShaper.Scope.EPISODE, shaper.scope());
  }

  @Test
  void configRequiresAWeightSignalWhenWeightsIsSignal() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> config("return", "signal", 0.8, null, true));

    assertEquals("weightSignal is required when weights is 'signal': the name of a numeric per-turn signal "
        + "(e.g. a judge's attribution), was null", ex.getMessage());
  }

  @Test
  void configRejectsAWeightSignalThatWouldBeIgnored() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> config("return", "uniform", 0.8, "attribution", true));

    assertEquals("weightSignal is only read when weights is 'signal', but weights is 'uniform' and weightSignal is "
        + "'attribution'", ex.getMessage());
  }

  @Test
  void configRejectsADecayOutsideZeroExclusiveToOne() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> config("return", "recency", 0.0, null, true));

    assertEquals("decay must be in (0, 1], was 0.0", ex.getMessage());
  }

  @Test
  void configRejectsUnknownWeightsAndANonPositiveAMax() {
    assertEquals("weights must be 'uniform', 'recency' or 'signal', was 'linear'",
        assertThrows(IllegalArgumentException.class, () -> config("return", "linear", 0.8, null, true)).getMessage());
    assertEquals("aMax must be a finite number > 0, was 0.0", assertThrows(IllegalArgumentException.class,
        () -> new AttributionShaperProvider.Config("return", "uniform", 0.8, null, false, 0)).getMessage());
    assertEquals("score must be 'return' or a kebab-case signal name, was 'Return'",
        assertThrows(IllegalArgumentException.class, () -> config("Return", "uniform", 0.8, null, true)).getMessage());
  }

  @Test
  void pipelineRecordsTheAttributedShares() {
    Episode e = EpisodeBuilder.on("task").turn("a", 0.0).turn("b", 3.0).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("attribution", provider.create(config("return", "recency", 0.5, null, true)), 2.0).build();

    assertEquals(List.of(new LedgerEntry(0, "attribution", "attribution", 1.0, 2.0),
        new LedgerEntry(1, "attribution", "attribution", 2.0, 4.0)), pipeline.score(e).ledger());
  }
}
