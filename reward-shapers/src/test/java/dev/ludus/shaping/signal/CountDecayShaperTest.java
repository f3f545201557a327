package dev.ludus.shaping.signal;

import dev.ludus.api.SignalKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountDecayShaperTest {
  private final CountDecayShaperProvider provider = new CountDecayShaperProvider();

  private static EpisodeBuilder observe(EpisodeBuilder b, Signals signals, String... texts) {
    return b.turn(Message.assistant("act"), 0.0, signals,
        java.util.Arrays.stream(texts).map(Message::user).toList());
  }

  @Test
  void theSecondIdenticalObservationEarnsOneEighthOfTheFirstWithTheDefaults() {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    observe(b, Signals.empty(), "You find a key.");
    observe(b, Signals.empty(), "You find a key.");
    observe(b, Signals.empty(), "A door.");

    double[] r = SignalFixtures.values(provider.create(provider.defaultConfig()), b.build(), "count-decay");

    assertArrayEquals(new double[] {0.4, 0.4 / 8, 0.4}, r, 1e-15);
  }

  @Test
  void theEventIsTheWholeObservationTextAndAnEmptyObservationIsNoEvent() {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    observe(b, Signals.empty(), "a", "b");
    observe(b, Signals.empty());
    observe(b, Signals.empty(), "a");
    observe(b, Signals.empty(), "a", "b");

    double[] r = SignalFixtures.values(
        provider.create(new CountDecayShaperProvider.Config("observation", 1.0, 1.0, null)), b.build(), "count-decay");

    assertArrayEquals(new double[] {1, 0, 1, 0.5}, r, 1e-15);
  }

  @Test
  void aSignalCanNameTheEventAndATurnWithoutItEarnsNothing() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.text("room", "hall"))
        .turn("b", 0.0, Signals.empty())
        .turn("c", 0.0, SignalFixtures.text("room", "hall"))
        .build();

    double[] r = SignalFixtures.values(
        provider.create(new CountDecayShaperProvider.Config("room", 2.0, 1.0, null)), e, "count-decay");

    assertArrayEquals(new double[] {1, 0, 0.25}, r, 1e-15);
  }

  @Test
  void onlyIfSignalPaysOnlyWhenTrueButEveryOccurrenceIsCounted() {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    observe(b, SignalFixtures.flag("helpful", false), "x");
    observe(b, Signals.empty(), "x");
    observe(b, SignalFixtures.flag("helpful", true), "x");

    double[] r = SignalFixtures.values(
        provider.create(new CountDecayShaperProvider.Config("observation", 1.0, 0.9, "helpful")), b.build(),
        "count-decay");

    assertArrayEquals(new double[] {0, 0, 0.3}, r, 1e-15);
  }

  @Test
  void requiredSignalsAreTheEventSignalAndTheGateButNotTheObservation() {
    assertEquals(Set.of(), provider.create(provider.defaultConfig()).requiredSignals());
    RewardShaper shaper = provider.create(new CountDecayShaperProvider.Config("room", 3.0, 0.4, "helpful"));
    assertEquals(Set.of(SignalKey.of("room", Object.class), SignalKey.of("helpful", Boolean.class)), shaper.requiredSignals());
    assertEquals(RewardShaper.Scope.TURN, shaper.scope());
  }

  @Test
  void defaultsAreOnisBetaThreeAndCoefficientPointFour() {
    assertEquals(new CountDecayShaperProvider.Config("observation", 3.0, 0.4, null), provider.defaultConfig());
  }

  @Test
  void configRejectsANegativeBeta() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new CountDecayShaperProvider.Config("observation", -1.0, 0.4, null));

    assertEquals("beta must be a finite number >= 0, was -1.0", ex.getMessage());
  }

  @Test
  void configRejectsAnEventThatIsNeitherObservationNorASignalName() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new CountDecayShaperProvider.Config("Observation Text", 3.0, 0.4, null));

    assertEquals("event must be 'observation' or a kebab-case signal name, was 'Observation Text'", ex.getMessage());
  }

  @Test
  void pipelineRecordsTheDecayedRewards() {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    observe(b, Signals.empty(), "same");
    observe(b, Signals.empty(), "same");
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("count-decay", provider.create(provider.defaultConfig()), 10.0).build();

    assertEquals(List.of(new LedgerEntry(0, "count-decay", "count-decay", 0.4, 4.0),
        new LedgerEntry(1, "count-decay", "count-decay", 0.05, 0.5)), pipeline.score(b.build()).ledger());
  }
}
