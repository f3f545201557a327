package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

class InfoGainShaperProperties {
  private static final String ENTROPY = "candidate-entropy";
  private static final String COUNT = "candidate-count";

  @Property(tries = 300)
  void rewardsTelescopeToTheStartEntropyMinusTheFinalEntropy(
      @ForAll @DoubleRange(min = 0, max = 20) double start,
      @ForAll @Size(max = 15) List<@WithNull(0.2) @DoubleRange(min = 0, max = 20) Double> entropies) {
    Episode e = SignalFixtures.numeric(ENTROPY, start, entropies).build();
    RewardShaper shaper = new InfoGainShaperProvider().create(InfoGainShaperProvider.Config.defaults());

    double[] r = SignalFixtures.values(shaper, e, "info-gain");

    double end = start;
    for (Double h : entropies) {
      end = h == null ? end : h;
    }
    assertEquals(start - end, SignalFixtures.sum(r), SignalFixtures.tolerance(20, entropies.size()));
  }

  @Property(tries = 300)
  void aTurnThatDoesNotChangeTheEntropyEarnsNothing(
      @ForAll @DoubleRange(min = 0, max = 20) double start,
      @ForAll @Size(min = 1, max = 15) List<@WithNull(0.2) @DoubleRange(min = 0, max = 20) Double> entropies) {
    List<Double> repeated = new ArrayList<>();
    for (Double h : entropies) {
      repeated.add(h);
      repeated.add(h); // the same entropy again, or no signal again
    }
    Episode e = SignalFixtures.numeric(ENTROPY, start, repeated).build();

    double[] r = SignalFixtures.values(
        new InfoGainShaperProvider().create(InfoGainShaperProvider.Config.defaults()), e, "info-gain");

    for (int t = 1; t < r.length; t += 2) {
      assertEquals(0.0, r[t], 0.0, "turn " + t);
    }
  }

  @Property(tries = 300)
  void withCandidateCountsHalvingTheCandidatesPaysExactlyOneBitAndAllTurnsSumToLog2OfTheShrinkage(
      @ForAll @IntRange(min = 0, max = 10) int halvings,
      @ForAll @IntRange(min = 1, max = 1_000) int remaining,
      @ForAll @DoubleRange(min = 0.1, max = 4) double scale) {
    List<Double> counts = new ArrayList<>();
    long c = (long) remaining << halvings;
    for (int k = 0; k < halvings; k++) {
      c /= 2;
      counts.add((double) c);
    }
    Episode e = SignalFixtures.numeric(COUNT, (double) ((long) remaining << halvings), counts).build();
    RewardShaper shaper =
        new InfoGainShaperProvider().create(new InfoGainShaperProvider.Config(COUNT, scale, true));

    double[] r = SignalFixtures.values(shaper, e, "info-gain");

    for (double x : r) {
      assertEquals(scale, x, 0.0);
    }
    assertEquals(scale * halvings, SignalFixtures.sum(r), 1e-9);
  }
}
