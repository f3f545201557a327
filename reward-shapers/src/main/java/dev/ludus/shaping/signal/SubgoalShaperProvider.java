package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code subgoal}: a bonus for each subgoal reached, after CALM, <i>Assessing the Zero-Shot Capabilities of
 * LLMs for Action Evaluation in RL</i>; catalog entry A8 [ABSTRACT + SUMMARY].
 *
 * <p>Formula: {@code r_t = bonus · [g_t is set and not reached earlier in this episode]}, where {@code g_t}
 * is the {@link StandardSignals#SUBGOAL subgoal} signal after turn {@code t}. In CALM an LLM decomposes the
 * task into subgoals and judges each transition ({@code r_aux = 1}, {@code r' = r + λ·r_aux}); here the
 * environment (or a judge in front of it) publishes the subgoal's name and the shaper's weight plays λ.
 * Paying each subgoal once per episode (repeats earn 0, so a subgoal cannot be farmed) is the catalog's
 * INFERRED rule, not the paper's. Subgoals published at reset are not the agent's doing and are ignored.
 * With a non-empty {@code subgoals} list only the subgoals named there pay. The return is {@code bonus} times
 * the number of distinct (listed) subgoals reached.
 *
 * <p>Stateless and thread-safe.
 */
public final class SubgoalShaperProvider implements ShaperProvider<SubgoalShaperProvider.Config> {

  /**
   * The configuration of {@code subgoal}. Immutable; validated on construction.
   *
   * @param bonus what the first arrival at a subgoal pays; a finite number, default 1.0
   * @param subgoals the subgoals that pay; empty (the default) for any
   */
  public record Config(double bonus, List<String> subgoals) {
    public Config {
      SignalReads.requireFinite("bonus", bonus);
      subgoals = subgoals == null ? List.of() : subgoals;
      for (String g : subgoals) {
        if (g == null || g.isBlank()) {
          throw new IllegalArgumentException("subgoals must hold subgoal names, not blanks or nulls; was " + subgoals);
        }
      }
      subgoals = List.copyOf(subgoals);
    }

    /** Bonus 1 for any subgoal. */
    public static Config defaults() {
      return new Config(1.0, List.of());
    }
  }

  @Override
  public String name() {
    return "subgoal";
  }

  @Override
  public String description() {
    return "a bonus the first time each subgoal is reached in an episode";
  }

  @Override
  public String formula() {
    return "r_t = bonus · [subgoal g_t reached for the first time in the episode]";
  }

  @Override
  public String reference() {
    return "Assessing the Zero-Shot Capabilities of LLMs for Action Evaluation in RL (CALM); catalog A8 "
        + "[ABSTRACT + SUMMARY; once-per-episode rule INFERRED]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public RewardShaper create(Config config) {
    return new Subgoal(config);
  }

  private static final class Subgoal extends SignalShaper {
    private static final SignalKey<String> SIGNAL = StandardSignals.SUBGOAL;

    private final double bonus;
    private final Set<String> allowed;

    Subgoal(Config config) {
      super("subgoal", Set.of(SIGNAL));
      this.bonus = config.bonus();
      this.allowed = Set.copyOf(config.subgoals());
    }

    @Override
    TurnRewards rewards(Episode episode) {
      Set<String> reached = new HashSet<>();
      return t -> {
        Optional<String> g = SignalReads.read(episode.turns().get(t).signals(), SIGNAL, t);
        double r = 0;
        if (g.isPresent() && (allowed.isEmpty() || allowed.contains(g.get())) && reached.add(g.get())) {
          r = bonus;
        }
        return OptionalDouble.of(r);
      };
    }
  }
}
