package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import dev.ludus.runner.learn.advantage.*;
import dev.ludus.shaping.ShapingPipeline;
import java.util.*;

/** A_i = sign(R_i − mean_G R) on every token of episode i: the direction of GRPO's advantage, not its size. */
public final class GroupSign implements EstimatorProvider<GroupSign.Config> {
  public record Config(double margin) {
    public Config {
      if (!(margin >= 0)) throw new IllegalArgumentException("margin must be at least 0, was " + margin);
    }
  }

  public String name() { return "group-sign"; }
  public String description() { return "+1 above the group's mean outcome, -1 below, 0 within the margin"; }
  public String formula() { return "A_i = sign(R_i − mean_G R), 0 if |R_i − mean_G R| ≤ margin"; }
  public Class<Config> configType() { return Config.class; }
  public Config defaultConfig() { return new Config(0.0); }

  public AdvantageEstimator create(Config c) {
    return new AdvantageEstimator() {
      public String name() { return "group-sign"; }
      public List<TokenAdvantages> estimate(AdvantageBatch batch) {
        List<TokenAdvantages> out = new ArrayList<>();
        for (int g = 0; g < batch.groups().size(); g++) {
          List<Episode> group = batch.groups().get(g).stream().filter(e -> e.status() != EpisodeStatus.FAILED).toList();
          double mean = group.stream().mapToDouble(GroupSign::outcome).average().orElse(0);
          for (Episode e : group) {
            double d = outcome(e) - mean;
            float[][] a = new float[e.turns().size()][];
            for (int t = 0; t < a.length; t++) {
              TokenTrace trace = e.turns().get(t).tokens();
              a[t] = new float[trace == null ? 0 : trace.outputIds().length];
              Arrays.fill(a[t], Math.abs(d) <= c.margin() ? 0f : (float) Math.signum(d));
            }
            out.add(new TokenAdvantages(e, g, a, null));
          }
        }
        return out;
      }
    };
  }

  static double outcome(Episode e) { return Arrays.stream(ShapingPipeline.turnRewards(e)).sum(); }
}
// readme:end
