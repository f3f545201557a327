package dev.ludus.shaping.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Groups of episodes and their component values for transform and combiner tests: {@code values[i][t]} is
 * episode {@code i}, turn {@code t} (NaN: no value); the episodes are built to that shape, with ids
 * {@code e0, e1, ...}. Also a table-driven shaper and ledger checks for end-to-end tests.
 */
public final class Groups {
  private Groups() {}

  /** Episodes {@code e0..} on {@code task}, episode i with {@code shape[i].length} turns. */
  public static List<Episode> episodes(String task, double[][] shape) {
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      EpisodeBuilder b = EpisodeBuilder.on(task).id("e" + i);
      for (int t = 0; t < shape[i].length; t++) {
        b.turn("turn " + t, 0.0);
      }
      out.add(b.build());
    }
    return out;
  }

  /** The component {@code label} (source and component both {@code label}) over a group on {@code task-1}. */
  public static ComponentValues component(String label, double weight, double[][] values) {
    return new ComponentValues(label, label, weight, episodes("task-1", values), values);
  }

  public static ComponentValues component(String label, double weight, List<Episode> episodes, double[][] values) {
    return new ComponentValues(label, label, weight, episodes, values);
  }

  /** A group of single-turn episodes with these values. */
  public static double[][] column(double... values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = new double[] {values[i]};
    }
    return out;
  }

  /**
   * A shaper giving component {@code name}: episode {@code e<i>} gets row {@code i} of {@code values}
   * (NaN cells give nothing).
   */
  public static RewardShaper table(String name, double[][] values) {
    return new RewardShaper() {
      @Override
      public Scope scope() {
        return Scope.EPISODE;
      }

      @Override
      public List<RewardContribution> shape(Episode episode) {
        double[] row = values[Integer.parseInt(episode.id().substring(1))];
        List<RewardContribution> out = new ArrayList<>();
        for (int t = 0; t < row.length; t++) {
          if (!Double.isNaN(row[t])) {
            out.add(new RewardContribution(t, name, row[t]));
          }
        }
        return out;
      }
    };
  }

  /** The turn reward a combination gives: the sum of the contributions plus the adjustment. */
  public static double[][] turnRewards(RewardCombiner.Combination c, double[][] shape) {
    double[][] out = new double[shape.length][];
    for (int i = 0; i < shape.length; i++) {
      out[i] = new double[shape[i].length];
      for (int t = 0; t < shape[i].length; t++) {
        double s = 0;
        for (double[][] part : c.contributions()) {
          if (!Double.isNaN(part[i][t])) {
            s += part[i][t];
          }
        }
        if (c.adjustment() != null && !Double.isNaN(c.adjustment()[i][t])) {
          s += c.adjustment()[i][t];
        }
        out[i][t] = s;
      }
    }
    return out;
  }

  /**
   * Checks a scored group against what was expected: each ledger entry of source {@code s} keeps the raw
   * value {@code raw.get(s)[i][t]} and carries {@code value.get(s)[i][t]}, and each turn's reward (the sum
   * of its ledger values) is {@code turnReward[i][t]}.
   */
  public static void assertLedger(List<Episode> scored, Map<String, double[][]> raw, Map<String, double[][]> value,
      double[][] turnReward) {
    for (int i = 0; i < scored.size(); i++) {
      Episode e = scored.get(i);
      for (LedgerEntry entry : e.ledger()) {
        if (entry.source().startsWith("combiner:")) {
          continue;
        }
        String where = e.id() + " turn " + entry.turn() + " " + entry.source();
        assertEquals(raw.get(entry.source())[i][entry.turn()], entry.raw(), 0.0, "raw of " + where);
        assertEquals(value.get(entry.source())[i][entry.turn()], entry.value(), 1e-12, "value of " + where);
      }
      double[] rewards = ShapingPipeline.turnRewards(e);
      for (int t = 0; t < rewards.length; t++) {
        assertEquals(turnReward[i][t], rewards[t], 1e-12, "reward of " + e.id() + " turn " + t);
      }
    }
  }
}
