package dev.ludus.shaping.sql;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Turn;
import dev.ludus.shaping.signal.SignalReads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sql-reward}: the text-to-SQL papers' reward components, each its own ledger component, read from the
 * signals the environment publishes on its final step ({@code sql-reward-<component>}, as {@code text-to-sql}
 * does), since only the environment can run the answer on the database.
 *
 * <p>Papers: Pourreza et al., <i>Reasoning-SQL: Reinforcement Learning with SQL Tailored Partial Rewards for
 * Reasoning-Enhanced Text-to-SQL</i> (2025), after the first author's RLForSQL code [CODE, catalog D9]: execution
 * (3 on execution match; the LLM judge's 0–2 for a near miss is not reproduced), syntax (1 if the answer runs),
 * schema linking (recall of the gold's tables and columns), n-gram (bigram Jaccard with the gold) and TRL's format
 * rewards ({@code xml-count} ≤ 0.5, {@code soft-format} and {@code strict-format} 0.5 each), summed with equal
 * weights by TRL; and SkyRL-SQL (NovaSky, 2025) [CODE: {@code skyrl_gym/envs/sql}]: {@code skyrl}, −1 for a bad
 * format, else 1 on execution match and 0 otherwise.
 *
 * <p>Formula: {@code r_{t,c} = s_t(sql-reward-c)} for each configured component {@code c} whose signal turn
 * {@code t} publishes; nothing elsewhere. Every component shares the shaper's weight; list the shaper once per
 * component under aliases ({@code as:}) to weigh them apart. Stateless and thread-safe.
 */
public final class SqlRewardShaperProvider implements ShaperProvider<SqlRewardShaperProvider.Config> {
  /** Every component the shaper knows, in order. */
  public static final List<String> COMPONENTS = List.of("execution", "syntax", "schema-linking", "ngram", "xml-count",
      "soft-format", "strict-format", "skyrl");

  /** The signal a component is read from. */
  public static String signal(String component) {
    return "sql-reward-" + component;
  }

  /**
   * The configuration of {@code sql-reward}. Immutable; validated on construction.
   *
   * @param components the components to write, of {@link #COMPONENTS}, each once; default Reasoning-SQL's seven
   *     (all but {@code skyrl})
   */
  public record Config(List<String> components) {
    public Config {
      components = components == null ? List.of() : List.copyOf(components);
      if (components.isEmpty()) {
        throw new IllegalArgumentException("components must name at least one of " + String.join(", ", COMPONENTS));
      }
      Set<String> seen = new HashSet<>();
      for (String c : components) {
        if (!COMPONENTS.contains(c)) {
          throw new IllegalArgumentException("components: unknown component '" + c + "'; allowed: "
              + String.join(", ", COMPONENTS));
        }
        if (!seen.add(c)) {
          throw new IllegalArgumentException("components: '" + c + "' is listed twice");
        }
      }
    }

    /** Reasoning-SQL's partial rewards. */
    public static Config defaults() {
      return new Config(COMPONENTS.subList(0, COMPONENTS.size() - 1));
    }
  }

  @Override
  public String name() {
    return "sql-reward";
  }

  @Override
  public String description() {
    return "text-to-SQL rewards as separate components: Reasoning-SQL's partial rewards and SkyRL-SQL's -1/0/1";
  }

  @Override
  public String formula() {
    return "r_{t,c} = s_t(sql-reward-c) per component c: execution 3·EX, syntax, schema-link recall, bigram Jaccard, "
        + "xml-count, soft/strict format 0.5, skyrl ∈ {-1, 0, 1}";
  }

  @Override
  public String reference() {
    return "Pourreza et al., Reasoning-SQL (2025) [CODE: RLForSQL; catalog D9]; SkyRL-SQL (NovaSky, 2025) "
        + "[CODE: skyrl_gym/envs/sql]";
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
    return new SqlReward(config.components());
  }

  private static final class SqlReward implements RewardShaper {
    /** Each component and the key of the signal that carries it, in the configured order. */
    private final Map<String, SignalKey<Double>> components;

    SqlReward(List<String> components) {
      Map<String, SignalKey<Double>> keys = new LinkedHashMap<>();
      components.forEach(c -> keys.put(c, SignalReads.numberKey(signal(c))));
      this.components = Collections.unmodifiableMap(keys);
    }

    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public Set<SignalKey<?>> requiredSignals() {
      return Set.copyOf(components.values());
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      List<RewardContribution> out = new ArrayList<>();
      for (Turn t : episode.turns()) {
        for (Map.Entry<String, SignalKey<Double>> c : components.entrySet()) {
          SignalReads.number(t.signals(), c.getValue(), t.index())
              .ifPresent(v -> out.add(new RewardContribution(t.index(), c.getKey(), v)));
        }
      }
      return out;
    }
  }
}
