package dev.ludus.shaping.tools;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.shaping.signal.SignalReads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code bfcl}: the Berkeley Function Calling Leaderboard's binary checks, each as its own ledger component, on
 * the turns where the environment ran it: {@code ast} (the single-turn AST checker: function name, required
 * parameters, no unexpected one, types, values among the accepted ones after string normalisation), {@code state}
 * (multi-turn state check: every sandbox's public state equals the one the gold calls lead to) and
 * {@code response} (multi-turn response check: the gold calls' results are all among the agent's results so far).
 *
 * <p>Paper: Patil et al., <i>The Berkeley Function Calling Leaderboard (BFCL): From Tool Use to Agentic
 * Evaluation of Large Language Models</i> (ICML 2025); the checks are those of ShishirPatil/gorilla's
 * {@code ast_checker.py} and {@code multi_turn_checker.py} [CODE], computed by the environment (which holds the
 * functions, the possible answers and the sandboxes) and published as the boolean signals this shaper reads
 * ({@code function-calling} publishes {@code bfcl-ast}, {@code bfcl-state} and {@code bfcl-response}).
 *
 * <p>Formula: r_t^c = 1 if check c passed at turn t, 0 if it failed, for c ∈ {ast, state, response}; a turn where
 * the environment did not run check c gets no contribution for it. BFCL reports a test entry as valid only when
 * every check passes; the components keep the checks apart so that a run can weight them, or use one as a metric
 * (weight 0). Stateless and thread-safe.
 */
public final class BfclShaperProvider implements ShaperProvider<BfclShaperProvider.Config> {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /**
   * The signals that carry the checks. Immutable; validated on construction.
   *
   * @param astSignal the boolean signal of the AST check; default {@code bfcl-ast}
   * @param stateSignal the boolean signal of the state check; default {@code bfcl-state}
   * @param responseSignal the boolean signal of the response check; default {@code bfcl-response}
   */
  public record Config(String astSignal, String stateSignal, String responseSignal) {
    public Config {
      astSignal = name("astSignal", astSignal, "bfcl-ast");
      stateSignal = name("stateSignal", stateSignal, "bfcl-state");
      responseSignal = name("responseSignal", responseSignal, "bfcl-response");
    }

    private static String name(String field, String value, String otherwise) {
      String v = value == null ? otherwise : value;
      if (!KEBAB.matcher(v).matches()) {
        throw new IllegalArgumentException(field + " must be a kebab-case signal name (e.g. " + otherwise + "), was '"
            + v + "'");
      }
      return v;
    }

    public static Config defaults() {
      return new Config("bfcl-ast", "bfcl-state", "bfcl-response");
    }
  }

  @Override
  public String name() {
    return "bfcl";
  }

  @Override
  public String description() {
    return "BFCL's binary checks (AST, multi-turn state, multi-turn response) as separate components";
  }

  @Override
  public String formula() {
    return "r_t^c = 1[check c passed at t] for c in {ast, state, response}, on the turns where c was checked";
  }

  @Override
  public String reference() {
    return "Patil et al., The Berkeley Function Calling Leaderboard (BFCL), ICML 2025 [CODE: ast_checker.py, "
        + "multi_turn_checker.py]";
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
    Map<String, SignalKey<Boolean>> components = new LinkedHashMap<>();
    components.put("ast", SignalReads.flagKey(config.astSignal()));
    components.put("state", SignalReads.flagKey(config.stateSignal()));
    components.put("response", SignalReads.flagKey(config.responseSignal()));
    return new RewardShaper() {
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
        for (int t = 0; t < episode.turns().size(); t++) {
          Signals s = episode.turns().get(t).signals();
          for (Map.Entry<String, SignalKey<Boolean>> c : components.entrySet()) {
            int turn = t;
            SignalReads.read(s, c.getValue(), t)
                .ifPresent(passed -> out.add(new RewardContribution(turn, c.getKey(), passed ? 1.0 : 0.0)));
          }
        }
        return out;
      }
    };
  }
}
