package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

class EmotionDeltaShaperProperties {
  private static final RewardShaper DELTA = new EmotionDeltaShaperProvider()
      .create(new EmotionDeltaShaperProvider.Config("emotion", "delta"));
  private static final RewardShaper FINAL = new EmotionDeltaShaperProvider()
      .create(new EmotionDeltaShaperProvider.Config("emotion", "final"));

  @Property(tries = 300)
  void withAFixedStartingEmotionTheDeltaAndFinalReturnsDifferByTheConstantStartOverAHundred(
      @ForAll @DoubleRange(min = 0, max = 100) double start,
      @ForAll @Size(min = 1, max = 15) List<@WithNull(0.2) @DoubleRange(min = 0, max = 100) Double> emotions) {
    Episode e = SignalFixtures.numeric("emotion", start, emotions).build();

    double delta = SignalFixtures.sum(SignalFixtures.values(DELTA, e, "emotion-delta"));
    double fin = SignalFixtures.sum(SignalFixtures.values(FINAL, e, "emotion-delta"));

    assertEquals(start / 100, fin - delta, SignalFixtures.tolerance(1, emotions.size()));
  }

  @Property(tries = 300)
  void theFinalModePaysOnlyOnTheLastTurn(
      @ForAll @DoubleRange(min = 0, max = 100) double start,
      @ForAll @Size(min = 1, max = 15) List<@WithNull(0.2) @DoubleRange(min = 0, max = 100) Double> emotions) {
    Episode e = SignalFixtures.numeric("emotion", start, emotions).build();

    double[] r = SignalFixtures.values(FINAL, e, "emotion-delta");

    for (int t = 0; t < r.length - 1; t++) {
      assertEquals(Double.NaN, r[t], "turn " + t);
    }
    double end = start;
    for (Double x : emotions) {
      end = x == null ? end : x;
    }
    assertEquals(end / 100, r[r.length - 1], 0.0);
  }
}
