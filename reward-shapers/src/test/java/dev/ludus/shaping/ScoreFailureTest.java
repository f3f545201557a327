package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A shaper's typed failure to score a turn: missing in the sums, recorded in the ledger, the episode kept. */
class ScoreFailureTest {
  private static RewardShaper failingOn(int turn) {
    return new RewardShaper() {
      public Scope scope() {
        return Scope.EPISODE;
      }

      public List<RewardContribution> shape(Episode e) {
        return List.of(new RewardContribution(1 - turn, "score", 0.5), RewardContribution.failed(turn, "score", "no verdict"));
      }
    };
  }

  @Test
  void aFailedScore_isRecordedAsAFailure_addsNothing_andKeepsTheEpisode() {
    Episode e = EpisodeBuilder.on("t").turn("a", 0).turn("b", 0).build();
    Episode scored = ShapingPipeline.builder().shaper("judge", failingOn(1), 1).build().score(e);
    assertEquals(EpisodeStatus.COMPLETED, scored.status());
    assertEquals(List.of(new LedgerEntry(0, "judge", "score", 0.5, 0.5),
        LedgerEntry.failed(1, "judge", "score", "no verdict")), scored.ledger());
    assertEquals(0.0, ShapingPipeline.turnRewards(scored)[1]);
  }

  @Test
  void aFailureAndAValueAtTheSameTurn_failTheEpisodeNamingTheShaper() {
    RewardShaper twice = new RewardShaper() {
      public Scope scope() {
        return Scope.EPISODE;
      }

      public List<RewardContribution> shape(Episode e) {
        return List.of(new RewardContribution(0, "score", 0.5), RewardContribution.failed(0, "score", "x"));
      }
    };
    Episode scored = ShapingPipeline.builder().shaper("judge", twice, 1).build()
        .score(EpisodeBuilder.on("t").turn("a", 0).build());
    assertEquals(EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("twice"), scored.failure());
  }

  @Test
  void aFailureCarriesItsReason_andNoValue() {
    RewardContribution f = RewardContribution.failed(2, "score", "why");
    assertTrue(f.hasFailure() && Double.isNaN(f.value()));
    assertEquals(0.25, new RewardContribution(0, "c", 0.25).value());
  }
}
