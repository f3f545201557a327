package com.example.mastermind;

// readme:start
import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewards each turn for the share of the candidates it rules out: r_t = scale · (n_{t-1} − n_t) / N, with
 * n_t the candidate-count signal after turn t and N = n_{-1} its value at reset. Potential-based shaping
 * (Ng et al., 1999) with Φ = −scale · n / N, so it pays for progress without changing which policy is best.
 */
public final class Elimination implements ShaperProvider<Elimination.Config> {
  public record Config(double scale) {
    public Config {
      if (!Double.isFinite(scale)) throw new IllegalArgumentException("scale must be finite, was " + scale);
    }
  }

  public String name() { return "elimination"; }
  public String description() { return "rewards the share of candidates each turn rules out"; }
  public String formula() { return "r_t = scale · (n_{t-1} − n_t) / N, n = candidate-count, N = n at reset"; }
  public Class<Config> configType() { return Config.class; }
  public Config defaultConfig() { return new Config(1.0); }

  public RewardShaper create(Config c) {
    return new RewardShaper() {
      public Scope scope() { return Scope.TURN; }
      public Set<SignalKey<?>> requiredSignals() { return Set.of(StandardSignals.CANDIDATE_COUNT); }
      public List<RewardContribution> shape(Episode episode) {
        List<RewardContribution> out = new ArrayList<>();
        int n = count(episode.startSignals(), 0), before = n;
        for (Turn t : episode.turns()) {
          int after = count(t.signals(), before);
          out.add(new RewardContribution(t.index(), "elimination", c.scale() * (before - after) / Math.max(1, n)));
          before = after;
        }
        return out;
      }
    };
  }

  private static int count(Signals signals, int otherwise) {
    return signals.get(StandardSignals.CANDIDATE_COUNT).orElse(otherwise);
  }
}
// readme:end
