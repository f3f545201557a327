package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;

/** Signals, episodes and assertions shared by the tests of this package. */
final class SignalFixtures {
  private SignalFixtures() {}

  static Signals num(String name, double value) {
    return Signals.of(SignalKey.of(name, Double.class), value);
  }

  static Signals text(String name, String value) {
    return Signals.of(SignalKey.of(name, String.class), value);
  }

  static Signals flag(String name, boolean value) {
    return Signals.of(SignalKey.of(name, Boolean.class), value);
  }

  /** {@code a} with {@code b}'s values added. */
  static Signals both(Signals a, Signals b) {
    return Signals.builder().putAll(a).putAll(b).build();
  }

  /**
   * An episode whose start state holds {@code start} (none if null) and whose turn {@code t} publishes
   * {@code values.get(t)} (nothing if null), with environment reward 0.
   */
  static EpisodeBuilder numeric(String name, Double start, List<Double> values) {
    EpisodeBuilder b = EpisodeBuilder.on("task").startSignals(start == null ? Signals.empty() : num(name, start));
    for (int t = 0; t < values.size(); t++) {
      Double v = values.get(t);
      b.turn("turn " + t, 0.0, v == null ? Signals.empty() : num(name, v));
    }
    return b;
  }

  /** The shaper's per-turn values for {@code e} (NaN where it gave nothing), checking one per turn at most. */
  static double[] values(RewardShaper shaper, Episode e, String component) {
    double[] r = new double[e.turns().size()];
    java.util.Arrays.fill(r, Double.NaN);
    for (RewardContribution c : shaper.shape(e)) {
      assertEquals(component, c.component());
      assertTrue(Double.isNaN(r[c.turn()]), "two contributions at turn " + c.turn());
      r[c.turn()] = c.value();
    }
    return r;
  }

  /** The sum of the values that are not NaN. */
  static double sum(double[] r) {
    double s = 0;
    for (double x : r) {
      if (!Double.isNaN(x)) {
        s += x;
      }
    }
    return s;
  }

  /** A tolerance for comparing sums of {@code terms} doubles of magnitude up to {@code magnitude}. */
  static double tolerance(double magnitude, int terms) {
    return 1e-12 * (1 + magnitude) * (1 + terms);
  }
}
