package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.outcome.OutcomeShaperProvider;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ShapingPipelineTest {
  private static final RewardShaper OUTCOME = new OutcomeShaperProvider().create(NoConfig.INSTANCE);

  /** Pays {@code value} on every turn under component {@code name}. */
  private static RewardShaper constant(String name, double value) {
    return new RewardShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public List<RewardContribution> shape(Episode e) {
        List<RewardContribution> out = new ArrayList<>();
        e.turns().forEach(t -> out.add(new RewardContribution(t.index(), name, value)));
        return out;
      }
    };
  }

  private static Episode threeTurns() {
    return EpisodeBuilder.on("t").turn("a", 0).turn("b", 0).turn("c", 1).build();
  }

  @Test
  void everyContributionIsInTheLedgerWithItsRawValueAndItsWeightedValue() {
    Episode e = ShapingPipeline.builder().shaper("outcome", OUTCOME, 2.0).shaper("step", constant("step", -0.1), 1.0)
        .build().score(threeTurns());
    assertEquals(6, e.ledger().size());
    assertTrue(e.ledger().contains(new LedgerEntry(2, "outcome", "outcome", 1.0, 2.0)));
    assertTrue(e.ledger().contains(new LedgerEntry(0, "step", "step", -0.1, -0.1)));
    double[] r = ShapingPipeline.turnRewards(e);
    assertEquals(-0.1, r[0], 1e-12);
    assertEquals(1.9, r[2], 1e-12);
  }

  @Test
  void aComponentOfWeightZeroIsRecordedAsAMetricButNotRewarded() {
    Episode e = ShapingPipeline.builder().shaper("outcome", OUTCOME, 1.0).shaper("metric", constant("m", 5.0), 0.0)
        .build().score(threeTurns());
    List<LedgerEntry> metric = e.ledger().stream().filter(l -> l.source().equals("metric")).toList();
    assertEquals(3, metric.size());
    assertTrue(metric.stream().allMatch(l -> l.raw() == 5.0 && l.value() == 0.0));
    assertEquals(1.0, ShapingPipeline.turnRewards(e)[2], 1e-12);
    assertEquals(0.0, ShapingPipeline.turnRewards(e)[0], 1e-12);
  }

  @Test
  void aTransformAppliesOnlyToTheComponentsItNamesAndTheLedgerKeepsTheRawValue() {
    Episode e = ShapingPipeline.builder().shaper("outcome", OUTCOME, 1.0).shaper("step", constant("step", 3.0), 1.0)
        .transform("halve", cv -> {
          double[][] out = cv.blank();
          for (int i = 0; i < out.length; i++) {
            for (int t = 0; t < out[i].length; t++) {
              out[i][t] = cv.values()[i][t] / 2;
            }
          }
          return out;
        }, Set.of("step")).build().score(threeTurns());
    assertTrue(e.ledger().contains(new LedgerEntry(1, "step", "step", 3.0, 1.5)));
    assertTrue(e.ledger().contains(new LedgerEntry(2, "outcome", "outcome", 1.0, 1.0)), "outcome untouched");
  }

  @Test
  void aShaperThatThrowsFailsTheEpisodeNamingTheShaper() {
    RewardShaper broken = new RewardShaper() {
      @Override
      public Scope scope() {
        return Scope.EPISODE;
      }

      @Override
      public List<RewardContribution> shape(Episode e) {
        throw new IllegalStateException("no gold answer");
      }
    };
    Episode e = ShapingPipeline.builder().shaper("outcome", OUTCOME, 1.0).shaper("judge", broken, 1.0).build()
        .score(threeTurns());
    assertEquals(EpisodeStatus.FAILED, e.status());
    assertTrue(e.failure().startsWith("shaper 'judge' failed: java.lang.IllegalStateException: no gold answer"),
        e.failure());
    assertEquals(3, e.turns().size(), "the turns are kept");
  }

  @Test
  void aShaperRewardingATurnThatDoesNotExistFailsTheEpisode() {
    RewardShaper offByOne = new RewardShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public List<RewardContribution> shape(Episode e) {
        return List.of(new RewardContribution(e.turns().size(), "x", 1));
      }
    };
    Episode e = ShapingPipeline.builder().shaper("bad", offByOne, 1.0).build().score(threeTurns());
    assertEquals("shaper 'bad' rewarded turn 3 of an episode with 3 turns", e.failure());
  }

  @Test
  void failedEpisodesPassThroughUnshapedAndGroupTransformsSeeOnlyTheOthers() {
    Episode ok = EpisodeBuilder.on("t").id("a").turn("x", 1).build();
    Episode failed = EpisodeBuilder.on("t").id("b").turn("x", 0).failed("agent failed").build();
    int[] seen = new int[1];
    List<Episode> out = ShapingPipeline.builder().shaper("outcome", OUTCOME, 1.0).transform("count", cv -> {
      seen[0] = cv.episodes().size();
      return cv.values();
    }).build().score(List.of(ok, failed));
    assertEquals(1, seen[0]);
    assertEquals(1, out.get(0).ledger().size());
    assertTrue(out.get(1).ledger().isEmpty());
    assertEquals(EpisodeStatus.FAILED, out.get(1).status());
  }

  @Property(tries = 200)
  void theTurnRewardIsTheSumOfTheTurnsLedgerValues(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -5, max = 5) Double> rewards,
      @ForAll @DoubleRange(min = -3, max = 3) double weight, @ForAll @DoubleRange(min = -1, max = 1) double step) {
    EpisodeBuilder b = EpisodeBuilder.on("t");
    rewards.forEach(r -> b.turn("a", r));
    Episode e = ShapingPipeline.builder().shaper("outcome", OUTCOME, weight).shaper("step", constant("s", step), 1.0)
        .build().score(b.build());
    double[] r = ShapingPipeline.turnRewards(e);
    for (int t = 0; t < rewards.size(); t++) {
      assertEquals(weight * rewards.get(t) + step, r[t], 1e-9);
    }
  }
}
