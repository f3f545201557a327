package dev.ludus.shaping.judge;

import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import java.util.List;

/**
 * {@code judge}: an LLM judge scoring each episode on a rubric of weighted criteria, each on its own stated scale
 * (LLM-as-a-judge; group mode after RULER, OpenPipe ART's "Relative Universal LLM-Elicited Rewards"; the seven
 * dimensions of Sotopia's evaluator as a ready rubric, {@code rubric: sotopia}).
 *
 * <p>Formula: {@code r_T = Σ_c w_c·ŝ_c / Σ_c w_c} on the episode's last turn, ŝ_c the judge's score of criterion c
 * (mapped to [0, 1] over its scale when the rubric normalizes); in {@code pairwise} mode r_T is the episode's win
 * rate against the other episodes of its group (ties count ½). Then the length-bias control ({@link LengthBias}).
 *
 * <p>Modes: {@code single} asks once per episode; {@code group} asks once per group (the episodes of one task),
 * quoting once the messages they all begin with and then each episode's own continuation, and asks for every
 * episode's scores relative to the others (RULER); {@code pairwise} asks once per pair of the group's episodes
 * (positions alternated, or both orders with {@code bothOrders}). The judge answers JSON that a schema made from
 * the rubric checks (networknt); a malformed or out-of-range answer is sent back for another, up to
 * {@code maxAttempts}; an episode still without a valid verdict gets a typed failure
 * ({@link dev.ludus.api.RewardContribution#failed}), which the ledger records as a failure and combiners see as a
 * missing value, never a zero (with {@code ensemble}, the other judges' mean stands).
 *
 * <p>The judged text passes the {@link Guard} (quoted between nonce delimiters that it cannot close; phrases
 * addressed to the judge stripped, flagged or left). Requests go through the run's shared chat client named
 * {@code endpoint} in the run's {@code llm:} section, so its requests and tokens are counted in {@code summary.json}.
 * Prompts and rubrics are resources, each overridable by a path. Thread-safe; never blocks.
 */
public final class JudgeShaperProvider implements ShaperProvider<JudgeShaperProvider.Config> {

  static final List<String> MODES = List.of("single", "group", "pairwise");
  static final List<String> LENGTH_BIAS = List.of("decorrelate", "off");
  static final List<String> COMPONENTS = List.of("total", "criteria");

  /**
   * The configuration of {@code judge}. Immutable; validated on construction.
   *
   * @param endpoint the name of the judge's chat endpoint in the run's {@code llm:} section (default {@code judge})
   * @param rubric a built-in rubric ({@code default}, {@code sotopia}) or the path of a YAML/JSON rubric file
   * @param mode {@code single} (default), {@code group} (RULER) or {@code pairwise}
   * @param prompt the path of a prompt template overriding the mode's built-in one (variables {@code {{ rubric }}},
   *     {@code {{ transcript }}}, {@code {{ shared }}}, {@code {{ trajectories }}}, {@code {{ nonce }}},
   *     {@code {{ format }}}, {@code {{ guard_note }}}, {@code {{ count }}}); null for the built-in one
   * @param maxAttempts answers asked for in all before a malformed verdict is a failure, 1..10 (default 3)
   * @param temperature the judge's sampling temperature, 0..2 (default 0)
   * @param maxTokens the most tokens of one answer, >= 16 (default 1024)
   * @param seed the sampling seed sent with each request (default 0; with temperature 0 the client caches answers)
   * @param guard {@code strip} (default), {@code flag} or {@code off}: what the guard does with phrases addressed to
   *     the judge (the quoting always applies)
   * @param lengthBias {@code decorrelate} (default) or {@code off}
   * @param lengthThreshold the |Pearson r| between totals and lengths above which a group is decorrelated, 0..1
   *     (default 0.5)
   * @param lengthMinGroup the fewest scored episodes in a group for the control to act, >= 2 (default 4)
   * @param components {@code total} (one component {@code score}, default) or {@code criteria} (one component per
   *     criterion, its weighted part of the total, plus {@code length-bias} for the control's adjustment)
   * @param bothOrders in pairwise mode, ask each pair in both orders (twice the requests, no position bias)
   */
  public record Config(String endpoint, String rubric, String mode, String prompt, int maxAttempts,
      double temperature, int maxTokens, Long seed, String guard, String lengthBias, double lengthThreshold,
      int lengthMinGroup, String components, boolean bothOrders) {
    public Config {
      endpoint = endpoint == null || endpoint.isBlank() ? "judge" : endpoint.strip();
      rubric = rubric == null || rubric.isBlank() ? "default" : rubric.strip();
      mode = oneOf("mode", mode == null ? "single" : mode.strip(), MODES);
      prompt = prompt == null || prompt.isBlank() ? null : prompt.strip();
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("maxAttempts must be 1..10, was " + maxAttempts);
      }
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException("temperature must be a number in [0, 2], was " + temperature);
      }
      if (maxTokens < 16) {
        throw new IllegalArgumentException("maxTokens must be >= 16, was " + maxTokens);
      }
      guard = oneOf("guard", guard == null ? "strip" : guard.strip(), Guard.MODES);
      lengthBias = oneOf("lengthBias", lengthBias == null ? "decorrelate" : lengthBias.strip(), LENGTH_BIAS);
      if (!(lengthThreshold >= 0 && lengthThreshold <= 1)) {
        throw new IllegalArgumentException("lengthThreshold must be a number in [0, 1], was " + lengthThreshold);
      }
      if (lengthMinGroup < 2) {
        throw new IllegalArgumentException("lengthMinGroup must be >= 2, was " + lengthMinGroup);
      }
      components = oneOf("components", components == null ? "total" : components.strip(), COMPONENTS);
    }

    /** The defaults, judging with endpoint {@code judge} on the {@code default} rubric. */
    public static Config defaults() {
      return new Config("judge", "default", "single", null, 3, 0.0, 1024, 0L, "strip", "decorrelate", 0.5, 4,
          "total", false);
    }

    /** This configuration in {@code mode} with {@code rubric}. */
    public Config with(String mode, String rubric) {
      return new Config(endpoint, rubric, mode, prompt, maxAttempts, temperature, maxTokens, seed, guard, lengthBias,
          lengthThreshold, lengthMinGroup, components, bothOrders);
    }
  }

  private static String oneOf(String field, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ", was '" + value
          + "'");
    }
    return value;
  }

  @Override
  public String name() {
    return "judge";
  }

  @Override
  public String description() {
    return "an LLM judge scores each episode on a rubric (single, RULER group or pairwise; Sotopia's seven dimensions)";
  }

  @Override
  public String formula() {
    return "r_T = Σ_c w_c·ŝ_c / Σ_c w_c (pairwise: win rate in the group), then length-bias decorrelation";
  }

  @Override
  public String reference() {
    return "LLM-as-a-judge with a rubric; RULER (OpenPipe ART) group scoring; Sotopia's evaluator (Zhou et al., "
        + "2024) for the seven dimensions; reward-catalog B11 (judge guard) and B8 (length)";
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
  public RewardShaper create(Config config, PluginContext context) {
    Rubric rubric = Rubric.load(config.rubric());
    Template template = Template.load(config.mode(), config.prompt());
    return new JudgeShaper(config, rubric, template, context.chatClient(config.endpoint()));
  }
}
