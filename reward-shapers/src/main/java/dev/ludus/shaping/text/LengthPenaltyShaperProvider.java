package dev.ludus.shaping.text;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.ToolCall;
import dev.ludus.api.Turn;
import java.util.List;

/**
 * {@code length-penalty}: a linear penalty on each agent message's length beyond a limit.
 *
 * <p>Paper: <i>Reward Shaping to Mitigate Reward Hacking in RLHF</i> (PAR), the length penalty of its
 * {@code reward_shaper.py} [CODE], catalog entry B8 ({@code penalty_per_token}·max(0, len − {@code gen_valid_len})
 * with len the response's model-token count, the {@code model-tokens} unit here). There it is subtracted from
 * the reward model's score and off by default; here it is its own component, which the pipeline adds to
 * the others, and the defaults λ = 0.01, L = 256 are a choice of ours [INFERRED].
 *
 * <p>Formula: r_t = −λ·max(0, |a_t| − L). |a_t| is measured in {@code unit}s over the message's text and
 * its tool calls (name and arguments text): whitespace-separated tokens, characters (Unicode code points),
 * or the model's own tokens ({@link dev.ludus.api.TokenTrace#outputIds()}, which already include the
 * calls); a turn recorded without tokens falls back to whitespace tokens. Stateless and thread-safe.
 */
public final class LengthPenaltyShaperProvider implements ShaperProvider<LengthPenaltyShaperProvider.Config> {

  static final List<String> UNITS = List.of("tokens", "chars", "model-tokens");

  /**
   * The configuration of {@code length-penalty}. Immutable; validated on construction.
   *
   * @param lambda the penalty per unit over the limit, λ ≥ 0; default 0.01
   * @param limit the free length L ≥ 0; default 256
   * @param unit how length is counted: {@code tokens} (whitespace-separated, the default), {@code chars} or
   *     {@code model-tokens}
   */
  public record Config(double lambda, int limit, String unit) {
    public Config {
      unit = TextConfigs.checkOneOf("unit", unit == null ? "tokens" : unit.strip(), UNITS);
      if (!Double.isFinite(lambda) || lambda < 0) {
        throw new IllegalArgumentException("lambda must be a finite number >= 0, was " + lambda);
      }
      if (limit < 0) {
        throw new IllegalArgumentException("limit must be >= 0, was " + limit);
      }
    }

    /** λ = 0.01 per whitespace token beyond 256. */
    public static Config defaults() {
      return new Config(0.01, 256, "tokens");
    }
  }

  @Override
  public String name() {
    return "length-penalty";
  }

  @Override
  public String description() {
    return "linear penalty on each agent message's length beyond a limit";
  }

  @Override
  public String formula() {
    return "r_t = -λ·max(0, |a_t| - L)";
  }

  @Override
  public String reference() {
    return "Reward Shaping to Mitigate Reward Hacking in RLHF (PAR), length penalty [CODE: reward_shaper.py]";
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
    return new LengthPenalty(config);
  }

  static final class LengthPenalty extends TextShaper {
    private final Config config;

    LengthPenalty(Config config) {
      super(false);
      this.config = config;
    }

    @Override
    TurnScores scores(Episode episode) {
      return (t, out) -> {
        double over = Math.max(0, length(t) - config.limit());
        out.add("length", over == 0 ? 0.0 : -config.lambda() * over);
      };
    }

    long length(Turn t) {
      Message m = t.action();
      return switch (config.unit()) {
        case "chars" -> {
          long n = m.content().codePointCount(0, m.content().length());
          for (ToolCall c : m.toolCalls()) {
            n += c.name().codePointCount(0, c.name().length()) + c.arguments().codePointCount(0,
                c.arguments().length());
          }
          yield n;
        }
        case "model-tokens" -> t.tokens() != null ? t.tokens().outputIds().length : whitespaceTokens(m);
        default -> whitespaceTokens(m);
      };
    }

    private static long whitespaceTokens(Message m) {
      long n = Text.whitespaceTokens(m.content()).size();
      for (ToolCall c : m.toolCalls()) {
        n += Text.whitespaceTokens(c.name()).size() + Text.whitespaceTokens(c.arguments()).size();
      }
      return n;
    }
  }
}
