package dev.ludus.shaping.signal;

import dev.ludus.api.StandardSignals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InfoGainShaperTest {
  private final InfoGainShaperProvider provider = new InfoGainShaperProvider();

  @Test
  void eachTurnEarnsTheEntropyDropFromTheStateBeforeIt() {
    Episode e = SignalFixtures.numeric("candidate-entropy", 6.0, List.of(5.0, 5.0, 2.5, 3.0)).build();

    double[] r = SignalFixtures.values(provider.create(provider.defaultConfig()), e, "info-gain");

    assertArrayEquals(new double[] {1, 0, 2.5, -0.5}, r, 1e-12);
  }

  @Test
  void candidateCountsAreReadAsLog2AndACountBelowOneAsOne() {
    Episode e = SignalFixtures.numeric("candidate-count", 64.0, List.of(16.0, 16.0, 0.0)).build();
    RewardShaper shaper = provider.create(new InfoGainShaperProvider.Config("candidate-count", 1.0, true));

    assertArrayEquals(new double[] {2, 0, 4}, SignalFixtures.values(shaper, e, "info-gain"), 0.0);
  }

  @Test
  void defaultsReadCandidateEntropyAtScaleOneAndRequireThatSignal() {
    InfoGainShaperProvider.Config c = provider.defaultConfig();

    assertEquals(new InfoGainShaperProvider.Config("candidate-entropy", 1.0, false), c);
    assertEquals(Set.of(StandardSignals.CANDIDATE_ENTROPY), provider.create(c).requiredSignals());
    assertEquals(RewardShaper.Scope.TURN, provider.create(c).scope());
  }

  @Test
  void configRejectsANanScale() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new InfoGainShaperProvider.Config("candidate-entropy", Double.NaN, false));

    assertEquals("scale must be a finite number, was NaN", ex.getMessage());
  }

  @Test
  void configRejectsAMissingSignalName() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> new InfoGainShaperProvider.Config(null, 1.0, false));

    assertEquals("signal must be a kebab-case signal name (e.g. candidate-entropy), was null", ex.getMessage());
  }

  @Test
  void pipelineRecordsTheBitsGainedPerTurn() {
    Episode e = SignalFixtures.numeric("candidate-entropy", 3.0, List.of(2.0, 0.0)).build();
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("info-gain", provider.create(new InfoGainShaperProvider.Config("candidate-entropy", 0.5, false)), 2.0)
        .build();

    assertEquals(List.of(new LedgerEntry(0, "info-gain", "info-gain", 0.5, 1.0),
        new LedgerEntry(1, "info-gain", "info-gain", 1.0, 2.0)), pipeline.score(e).ledger());
  }
}
