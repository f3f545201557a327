package dev.ludus.runner.learn.advantage;

import static dev.ludus.runner.learn.advantage.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.learn.advantage.Fixtures.TurnSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;

/** The catalog's laws (section E) as properties over generated groups and batches. */
class AdvantageLawsProperties {

  // ---- GRPO (E1) and RLOO (E2)

  @Property(tries = 300)
  void grpoAdvantagesOfAGroupSumToZero(@ForAll("outcomes") List<Double> outcomes) {
    Assume.that(outcomes.size() >= 2);

    List<TokenAdvantages> out = AdvantageEstimators.of("grpo").estimateGroup(oneTurnEach(outcomes));

    double sum = 0;
    for (TokenAdvantages t : out) {
      sum += t.get(0, 0);
    }
    assertEquals(0, sum, 1e-4);
  }

  @Property(tries = 100)
  void grpoOfIdenticalRewardsIsZeroEverywhere(
      @ForAll @DoubleRange(min = -10, max = 10) double r, @ForAll @IntRange(min = 2, max = 8) int size) {
    List<Double> outcomes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      outcomes.add(r);
    }

    for (TokenAdvantages t : AdvantageEstimators.of("grpo").estimateGroup(oneTurnEach(outcomes))) {
      assertEquals(0f, t.get(0, 0));
    }
  }

  @Property(tries = 300)
  void rlooIsGOverGMinusOneTimesTheGrpoNumeratorAndTheLeaveOneOutDifference(
      @ForAll("outcomes") List<Double> outcomes) {
    Assume.that(outcomes.size() >= 2);
    List<Episode> group = oneTurnEach(outcomes);
    int g = outcomes.size();

    List<TokenAdvantages> rloo = AdvantageEstimators.rloo().estimateGroup(group);
    List<TokenAdvantages> numerator =
        AdvantageEstimators.grpo(new GrpoConfig(1e-6, StdConvention.SAMPLE, false)).estimateGroup(group);

    double total = outcomes.stream().mapToDouble(Double::doubleValue).sum();
    for (int i = 0; i < g; i++) {
      double others = (total - outcomes.get(i)) / (g - 1);
      assertClose((double) g / (g - 1) * numerator.get(i).get(0, 0), rloo.get(i).get(0, 0), "G/(G-1) x numerator");
      assertClose(outcomes.get(i) - others, rloo.get(i).get(0, 0), "leave-one-out");
    }
  }

  // ---- IGPO (E5)

  @Property(tries = 300)
  void igpoWithGammaOneAndOneTurnPerEpisodeIsGrpoOnTheOutcome(
      @ForAll("outcomes") List<Double> outcomes,
      @ForAll StdConvention std,
      @ForAll boolean scale,
      @ForAll IgpoConfig.Pooling pooling,
      @ForAll @DoubleRange(min = 1e-8, max = 1e-2) @Scale(10) double epsilon) {
    Assume.that(outcomes.size() >= 2);
    List<Episode> group = oneTurnEach(outcomes);

    List<TokenAdvantages> igpo =
        AdvantageEstimators.igpo(new IgpoConfig(1, epsilon, std, scale, pooling)).estimateGroup(group);
    List<TokenAdvantages> grpo = AdvantageEstimators.grpo(new GrpoConfig(epsilon, std, scale)).estimateGroup(group);

    assertEquals(grpo, igpo);
  }

  @Property(tries = 200)
  void igpoCodeFormAdvantageOfATurnIsItsNormalizedRewardPlusGammaTimesTheNextTurns(
      @ForAll("group") List<List<TurnSpec>> specs, @ForAll @DoubleRange(min = 0, max = 1) double gamma) {
    List<Episode> group = Fixtures.fromSpecs(List.of(specs)).get(0);
    IgpoConfig config = new IgpoConfig(gamma, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.JOINT,
        IgpoConfig.Baseline.REWARDS);
    List<Scored> scored = Scored.prepare(AdvantageBatch.ofGroup(group)).get(0);
    double[][] z = IgpoEstimator.normalizedTurnRewards(scored, config);

    List<TokenAdvantages> out = AdvantageEstimators.igpo(config).estimateGroup(group);

    for (int i = 0; i < out.size(); i++) {
      double next = 0;
      for (int t = out.get(i).turns() - 1; t >= 0; t--) {
        double expected = z[i][t] + gamma * next;
        for (int k = 0; k < out.get(i).tokens(t); k++) {
          assertClose(expected, out.get(i).get(t, k), "episode " + i + " turn " + t);
        }
        next = expected;
      }
    }
  }

  @Property(tries = 300)
  void igpoTurnIndexBaselineGivesEveryTurnIndexAMeanAdvantageOfZero(
      @ForAll("group") List<List<TurnSpec>> specs,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll IgpoConfig.Pooling pooling,
      @ForAll StdConvention std,
      @ForAll boolean scale) {
    List<Episode> group = Fixtures.fromSpecs(List.of(specs)).get(0);
    List<Scored> scored = Scored.prepare(AdvantageBatch.ofGroup(group)).get(0);
    IgpoConfig config = new IgpoConfig(gamma, 1e-6, std, scale, pooling, IgpoConfig.Baseline.TURN_INDEX);

    double[][] a = IgpoEstimator.turnIndexAdvantages(scored, config);

    int longest = 0;
    for (double[] row : a) {
      longest = Math.max(longest, row.length);
    }
    for (int t = 0; t < longest; t++) {
      double sum = 0;
      double size = 0;
      for (double[] row : a) {
        if (row.length > t) {
          sum += row[t];
          size = Math.max(size, Math.abs(row[t]));
        }
      }
      assertEquals(0, sum, 1e-9 * Math.max(1, size) * a.length, "turn index " + t);
    }
  }

  // ---- REINFORCE++ (E3)

  @Property(tries = 200)
  void reinforcePlusPlusAdvantagesHaveMeanZeroAndStdOneOverTheBatch(
      @ForAll("batch") List<List<List<TurnSpec>>> specs,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll boolean baseline) {
    List<List<Episode>> groups = Fixtures.fromSpecs(specs);
    AdvantageBatch batch = AdvantageBatch.of(groups);
    double rawVariance = rawReinforceVariance(batch, gamma, baseline);
    Assume.that(rawVariance > 1e-4);

    List<TokenAdvantages> out =
        AdvantageEstimators.reinforcePlusPlus(new ReinforcePlusPlusConfig(gamma, baseline)).estimate(batch);

    List<Double> all = new ArrayList<>();
    out.forEach(t -> {
      for (float x : t.flatten()) {
        all.add((double) x);
      }
    });
    double mean = all.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double ss = all.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    assertEquals(0, mean, 1e-5);
    assertEquals(1, Math.sqrt(ss / (all.size() - 1)), 1e-4);
  }

  // ---- PPO + GAE (E4)

  @Property(tries = 300)
  void gaeWithLambdaOneIsTheDiscountedReturnMinusTheValue(
      @ForAll @Size(min = 1, max = 8) List<@DoubleRange(min = -5, max = 5) Double> rewards,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll long seed) {
    Episode e = Fixtures.rewards("e", unbox(rewards));
    double[] v = Fixtures.values(seed, false).of(e);

    TokenAdvantages out = AdvantageEstimators.ppoGae(new PpoGaeConfig(gamma, 1, false))
        .estimate(AdvantageBatch.ofGroup(List.of(e)).withValues(x -> v)).get(0);

    for (int t = 0; t < rewards.size(); t++) {
      double ret = 0;
      for (int k = rewards.size() - 1; k >= t; k--) {
        ret = rewards.get(k) + gamma * ret;
      }
      assertClose(ret - v[t], out.get(t, 0), "turn " + t);
      assertClose(ret, out.valueTargets()[t], "value target of turn " + t);
    }
  }

  @Property(tries = 300)
  void gaeWithLambdaZeroIsTheTdError(
      @ForAll @Size(min = 1, max = 8) List<@DoubleRange(min = -5, max = 5) Double> rewards,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll boolean bootstrap,
      @ForAll long seed) {
    Episode e = Fixtures.rewards("e", unbox(rewards));
    double[] v = Fixtures.values(seed, bootstrap).of(e);

    TokenAdvantages out = AdvantageEstimators.ppoGae(new PpoGaeConfig(gamma, 0, false))
        .estimate(AdvantageBatch.ofGroup(List.of(e)).withValues(x -> v)).get(0);

    for (int t = 0; t < rewards.size(); t++) {
      double next = t + 1 < v.length ? v[t + 1] : 0;
      assertClose(rewards.get(t) + gamma * next - v[t], out.get(t, 0), "turn " + t);
    }
  }

  // ---- every estimator

  @Property(tries = 150)
  void everyEstimatorCoversExactlyEachTurnsOutputTokens(
      @ForAll("batch") List<List<List<TurnSpec>>> specs, @ForAll("estimators") String name) {
    List<List<Episode>> groups = Fixtures.fromSpecs(specs);

    List<TokenAdvantages> out = estimate(name, AdvantageBatch.of(groups));

    List<Episode> expected = groups.stream().flatMap(List::stream).toList();
    assertEquals(expected.size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      Episode e = expected.get(i);
      TokenAdvantages t = out.get(i);
      assertEquals(e, t.episode());
      assertEquals(e.turns().size(), t.turns());
      for (int turn = 0; turn < t.turns(); turn++) {
        int tokens = e.turns().get(turn).tokens() == null ? 0 : e.turns().get(turn).tokens().outputIds().length;
        assertEquals(tokens, t.tokens(turn), e.id() + " turn " + turn);
        for (int k = 0; k < tokens; k++) {
          assertEquals(true, Float.isFinite(t.get(turn, k)));
        }
      }
      assertEquals(name.equals("ppo-gae"), t.hasValueTargets());
    }
  }

  @Property(tries = 150)
  void turnLevelEstimatorsGiveEveryTokenOfATurnTheSameAdvantage(
      @ForAll("batch") List<List<List<TurnSpec>>> specs, @ForAll("turnLevel") String name) {
    for (TokenAdvantages t : estimate(name, AdvantageBatch.of(Fixtures.fromSpecs(specs)))) {
      for (int turn = 0; turn < t.turns(); turn++) {
        for (int k = 1; k < t.tokens(turn); k++) {
          assertEquals(t.get(turn, 0), t.get(turn, k));
        }
      }
    }
  }

  @Property(tries = 150)
  void failedEpisodesAreExcluded(
      @ForAll("batch") List<List<List<TurnSpec>>> specs,
      @ForAll("estimators") String name,
      @ForAll @IntRange(min = 0, max = 1000) int where) {
    List<List<Episode>> clean = Fixtures.fromSpecs(specs);
    List<List<Episode>> withFailures = new ArrayList<>();
    for (int g = 0; g < clean.size(); g++) {
      List<Episode> group = new ArrayList<>(clean.get(g));
      Episode failed = Fixtures.episode("failed" + g).turn(3, 100).turn(2, -50).failed().build();
      group.add((where + g) % (group.size() + 1), failed);
      withFailures.add(group);
    }

    List<TokenAdvantages> out = estimate(name, AdvantageBatch.of(withFailures));

    assertEquals(estimate(name, AdvantageBatch.of(clean)), out);
    out.forEach(t -> assertEquals(false, t.episode().status() == EpisodeStatus.FAILED));
  }

  // ---- helpers and generators

  private static List<TokenAdvantages> estimate(String name, AdvantageBatch batch) {
    AdvantageEstimator e = AdvantageEstimators.of(name);
    return e.estimate(e.needsValues() ? batch.withValues(Fixtures.values(7, false)) : batch);
  }

  private static double rawReinforceVariance(AdvantageBatch batch, double gamma, boolean baseline) {
    List<Double> raw = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      double mean = group.size() > 1 ? group.stream().mapToDouble(Scored::outcome).average().orElseThrow() : 0;
      for (Scored s : group) {
        double[][] v = baseline ? s.broadcast(s.outcome() - mean) : ReinforcePlusPlusEstimator.tokenReturns(s, gamma);
        for (double[] turn : v) {
          for (double x : turn) {
            raw.add(x);
          }
        }
      }
    }
    if (raw.size() < 2) {
      return 0;
    }
    double m = raw.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return raw.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (raw.size() - 1);
  }

  private static List<Episode> oneTurnEach(List<Double> outcomes) {
    List<Episode> group = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      group.add(Fixtures.episode("e" + i).turn(1 + i % 3, outcomes.get(i)).build());
    }
    return group;
  }

  private static double[] unbox(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Provide
  Arbitrary<List<Double>> outcomes() {
    Arbitrary<Double> r = Arbitraries.oneOf(Arbitraries.doubles().between(-10, 10).ofScale(4),
        Arbitraries.of(0.0, 1.0));
    return r.list().ofMinSize(1).ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<List<TurnSpec>>> group() {
    return Fixtures.groups(1, 6);
  }

  @Provide
  Arbitrary<List<List<List<TurnSpec>>>> batch() {
    return Fixtures.batches();
  }

  @Provide
  Arbitrary<String> estimators() {
    return Arbitraries.of(List.copyOf(AdvantageEstimators.catalog().names()));
  }

  @Provide
  Arbitrary<String> turnLevel() {
    return Arbitraries.of("grpo", "rloo", "ppo-gae", "igpo");
  }
}
