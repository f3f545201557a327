package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import java.util.*;

/** Pays a bonus for each short agent turn: r_t = bonus if |a_t| ≤ maxWords, else 0. */
public final class ConcisenessBonus implements ShaperProvider<ConcisenessBonus.Config> {
  public record Config(int maxWords, double bonus) {
    public Config {
      if (maxWords < 1) throw new IllegalArgumentException("maxWords must be at least 1, was " + maxWords);
    }
  }

  public String name() { return "conciseness-bonus"; }
  public String description() { return "a bonus for each agent turn of at most maxWords words"; }
  public String formula() { return "r_t = bonus · 1[|a_t| ≤ maxWords]"; }
  public Class<Config> configType() { return Config.class; }
  public Config defaultConfig() { return new Config(12, 0.1); }

  public RewardShaper create(Config c) {
    return new RewardShaper() {
      public Scope scope() { return Scope.TURN; }
      public List<RewardContribution> shape(Episode episode) {
        List<RewardContribution> out = new ArrayList<>();
        for (Turn t : episode.turns()) {
          int words = t.action().content().isBlank() ? 0 : t.action().content().trim().split("\\s+").length;
          out.add(new RewardContribution(t.index(), "conciseness", words <= c.maxWords() ? c.bonus() : 0));
        }
        return out;
      }
    };
  }
}
// readme:end
