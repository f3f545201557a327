package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.outcome.OutcomeShaperProvider;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

class PotentialShaperProperties {
  private static final String SIGNAL = "steps-to-goal";

  @Property(tries = 300)
  void discountedShapedReturnOfATruncatedEpisodeIsGammaToTheTTimesEndPotentialMinusStartPotential(
      @ForAll @DoubleRange(min = -50, max = 50) double start,
      @ForAll @Size(max = 12) List<@WithNull(0.25) @DoubleRange(min = -50, max = 50) Double> values,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll @DoubleRange(min = -3, max = 3) double scale,
      @ForAll boolean terminalZero) {
    Episode e = SignalFixtures.numeric(SIGNAL, start, values).truncated().build();
    RewardShaper shaper = shaper(gamma, scale, terminalZero);

    double[] r = SignalFixtures.values(shaper, e, "potential");

    double end = start;
    for (Double v : values) {
      end = v == null ? end : v;
    }
    int turns = values.size();
    assertEquals(Math.pow(gamma, turns) * scale * end - scale * start, discounted(r, gamma),
        SignalFixtures.tolerance(150, turns));
  }

  @Property(tries = 300)
  void withTerminalZeroEveryTerminatingEpisodeHasShapedDiscountedReturnMinusStartPotential(
      @ForAll @DoubleRange(min = -50, max = 50) double start,
      @ForAll @Size(min = 1, max = 12) List<@WithNull(0.25) @DoubleRange(min = -50, max = 50) Double> values,
      @ForAll @DoubleRange(min = 0, max = 1) double gamma,
      @ForAll @DoubleRange(min = -3, max = 3) double scale) {
    Episode e = SignalFixtures.numeric(SIGNAL, start, values).build();

    double[] r = SignalFixtures.values(shaper(gamma, scale, true), e, "potential");

    assertEquals(-scale * start, discounted(r, gamma), SignalFixtures.tolerance(150, values.size()));
  }

  @Property(tries = 200)
  void terminatingTrajectoriesFromOneStartKeepTheirOrderBecauseShapingShiftsEachByMinusStartPotential(
      @ForAll @DoubleRange(min = 0, max = 20) double start,
      @ForAll @Size(min = 1, max = 10) List<@WithNull(0.2) @DoubleRange(min = 0, max = 20) Double> first,
      @ForAll @Size(min = 1, max = 10) List<@DoubleRange(min = -1, max = 1) Double> firstRewards,
      @ForAll @Size(min = 1, max = 10) List<@WithNull(0.2) @DoubleRange(min = 0, max = 20) Double> second,
      @ForAll @Size(min = 1, max = 10) List<@DoubleRange(min = -1, max = 1) Double> secondRewards,
      @ForAll @DoubleRange(min = 0.5, max = 1) double gamma) {
    Episode a = trajectory(start, first, firstRewards);
    Episode b = trajectory(start, second, secondRewards);
    ShapingPipeline unshaped = ShapingPipeline.builder()
        .shaper("outcome", new OutcomeShaperProvider().create(NoConfig.INSTANCE), 1.0).build();
    ShapingPipeline shaped = ShapingPipeline.builder()
        .shaper("outcome", new OutcomeShaperProvider().create(NoConfig.INSTANCE), 1.0)
        .shaper("potential", shaper(gamma, -1.0, true), 1.0).build();

    double ga = discounted(ShapingPipeline.turnRewards(unshaped.score(a)), gamma);
    double gb = discounted(ShapingPipeline.turnRewards(unshaped.score(b)), gamma);
    double sa = discounted(ShapingPipeline.turnRewards(shaped.score(a)), gamma);
    double sb = discounted(ShapingPipeline.turnRewards(shaped.score(b)), gamma);

    double tol = SignalFixtures.tolerance(60, 20);
    assertEquals(start, sa - ga, tol); // −Φ(s_0) with Φ = −value
    assertEquals(start, sb - gb, tol);
    assertEquals(ga - gb, sa - sb, 2 * tol);
  }

  private static Episode trajectory(double start, List<Double> values, List<Double> rewards) {
    EpisodeBuilder b = EpisodeBuilder.on("task").startSignals(SignalFixtures.num(SIGNAL, start));
    for (int t = 0; t < values.size(); t++) {
      Double v = values.get(t);
      b.turn("turn " + t, rewards.get(t % rewards.size()), v == null ? Signals.empty() : SignalFixtures.num(SIGNAL, v));
    }
    return b.build();
  }

  private static RewardShaper shaper(double gamma, double scale, boolean terminalZero) {
    return new PotentialShaperProvider().create(new PotentialShaperProvider.Config(SIGNAL, gamma, scale, terminalZero));
  }

  private static double discounted(double[] r, double gamma) {
    double g = 0;
    double d = 1;
    for (double x : r) {
      g += d * (Double.isNaN(x) ? 0 : x);
      d *= gamma;
    }
    return g;
  }
}
