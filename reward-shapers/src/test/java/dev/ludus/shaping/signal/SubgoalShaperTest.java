package dev.ludus.shaping.signal;

import dev.ludus.api.StandardSignals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubgoalShaperTest {
  private final SubgoalShaperProvider provider = new SubgoalShaperProvider();

  @Test
  void revisitingAnAchievedSubgoalAddsNothing() {
    Episode e = EpisodeBuilder.on("task")
        .turn("pick key", 0.0, SignalFixtures.text("subgoal", "key-picked"))
        .turn("drop key", 0.0, Signals.empty())
        .turn("pick key again", 0.0, SignalFixtures.text("subgoal", "key-picked"))
        .turn("open door", 0.0, SignalFixtures.text("subgoal", "door-opened"))
        .build();

    double[] r = SignalFixtures.values(provider.create(provider.defaultConfig()), e, "subgoal");

    assertArrayEquals(new double[] {1, 0, 0, 1}, r, 0.0);
  }

  @Test
  void aSubgoalPublishedAtResetIsNotTheAgentsAndDoesNotBlockItsPayment() {
    Episode e = EpisodeBuilder.on("task").startSignals(SignalFixtures.text("subgoal", "key-picked"))
        .turn("pick key", 0.0, SignalFixtures.text("subgoal", "key-picked")).build();

    assertArrayEquals(new double[] {2}, SignalFixtures.values(
        provider.create(new SubgoalShaperProvider.Config(2.0, List.of())), e, "subgoal"), 0.0);
  }

  @Test
  void unlistedSubgoalsEarnNothingWhenAListIsGiven() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.text("subgoal", "key-picked"))
        .turn("b", 0.0, SignalFixtures.text("subgoal", "door-opened")).build();

    assertArrayEquals(new double[] {0, 1}, SignalFixtures.values(
        provider.create(new SubgoalShaperProvider.Config(1.0, List.of("door-opened"))), e, "subgoal"), 0.0);
  }

  @Test
  void requiresTheStandardSubgoalSignalAndIsTurnScoped() {
    RewardShaper shaper = provider.create(provider.defaultConfig());

    assertEquals(Set.of(StandardSignals.SUBGOAL), shaper.requiredSignals());
    assertEquals(RewardShaper.Scope.TURN, shaper.scope());
    assertEquals(new SubgoalShaperProvider.Config(1.0, List.of()), provider.defaultConfig());
  }

  @Test
  void configRejectsAnInfiniteBonus() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new SubgoalShaperProvider.Config(Double.NEGATIVE_INFINITY, List.of()));

    assertEquals("bonus must be a finite number, was -Infinity", ex.getMessage());
  }

  @Test
  void configRejectsABlankSubgoalName() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new SubgoalShaperProvider.Config(1.0, Arrays.asList("key-picked", " ")));

    assertEquals("subgoals must hold subgoal names, not blanks or nulls; was [key-picked,  ]", ex.getMessage());
  }

  @Test
  void aSubgoalSignalThatIsNotAStringFailsTheEpisodeNamingTheShaper() {
    Episode e = EpisodeBuilder.on("task").turn("a", 0.0, SignalFixtures.num("subgoal", 3)).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("subgoal", provider.create(provider.defaultConfig()), 1.0).build();

    Episode scored = pipeline.score(e);

    assertEquals(EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("shaper 'subgoal'") && scored.failure().contains("is not a string"),
        scored.failure());
  }

  @Test
  void pipelineRecordsTheBonusOnceAndZeroOnTheRepeat() {
    Episode e = EpisodeBuilder.on("task")
        .turn("a", 0.0, SignalFixtures.text("subgoal", "key-picked"))
        .turn("b", 0.0, SignalFixtures.text("subgoal", "key-picked")).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("subgoal", provider.create(provider.defaultConfig()), 0.25).build();

    assertEquals(List.of(new LedgerEntry(0, "subgoal", "subgoal", 1.0, 0.25),
        new LedgerEntry(1, "subgoal", "subgoal", 0.0, 0.0)), pipeline.score(e).ledger());
  }
}
