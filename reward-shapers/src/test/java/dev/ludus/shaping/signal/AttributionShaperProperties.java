package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

class AttributionShaperProperties {
  private static final AttributionShaperProvider PROVIDER = new AttributionShaperProvider();

  @Property(tries = 300)
  void normalizedRewardsSumToTheScoreWhateverTheWeights(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -5, max = 5) Double> rewards,
      @ForAll @Size(min = 1, max = 12) List<@WithNull(0.2) @IntRange(min = -1, max = 3) Integer> labels,
      @ForAll @IntRange(min = 0, max = 2) int weights,
      @ForAll @DoubleRange(min = 0.01, max = 1) double decay) {
    Episode e = episode(rewards, labels);
    String kind = List.of("uniform", "recency", "signal").get(weights);
    RewardShaper shaper = PROVIDER.create(new AttributionShaperProvider.Config(
        "return", kind, decay, kind.equals("signal") ? "attribution" : null, true, 3.0));

    double[] r = SignalFixtures.values(shaper, e, "attribution");

    double score = rewards.stream().mapToDouble(Double::doubleValue).sum();
    double magnitude = 0;
    for (double x : r) {
      magnitude += Math.abs(x);
    }
    assertEquals(r.length, rewards.size());
    assertEquals(score, SignalFixtures.sum(r), 1e-9 * (1 + magnitude));
  }

  @Property(tries = 300)
  void theUnnormalizedVariantKeepsEachRewardBetweenMinusOneAndANonNegativeScore(
      @ForAll @DoubleRange(min = 0, max = 10) double score,
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = -1, max = 3) Integer> labels) {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    for (int t = 0; t < labels.size(); t++) {
      Signals s = SignalFixtures.num("attribution", labels.get(t));
      boolean last = t == labels.size() - 1;
      b.turn("utterance " + t, 0.0, last ? SignalFixtures.both(s, SignalFixtures.num("goal", score)) : s);
    }
    RewardShaper shaper = PROVIDER.create(
        new AttributionShaperProvider.Config("goal", "signal", 0.8, "attribution", false, 3.0));

    double[] r = SignalFixtures.values(shaper, b.build(), "attribution");

    for (int t = 0; t < r.length; t++) {
      assertTrue(r[t] >= -1 && r[t] <= score, "turn " + t + ": " + r[t] + " outside [-1, " + score + "]");
      assertEquals(labels.get(t) == -1 ? -1 : labels.get(t) / 3.0 * score, r[t], 1e-12);
    }
  }

  private static Episode episode(List<Double> rewards, List<Integer> labels) {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    for (int t = 0; t < rewards.size(); t++) {
      Integer a = labels.get(t % labels.size());
      b.turn("utterance " + t, rewards.get(t), a == null ? Signals.empty() : SignalFixtures.num("attribution", a));
    }
    return b.build();
  }
}
