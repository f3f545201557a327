package dev.ludus.shaping.text;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code format}: a fixed reward for a well-formed agent message and a fixed penalty otherwise, the
 * format reward of R1-style recipes.
 *
 * <p>References: the format component of Qian et al., <i>ToolRL: Reward is All Tool Learning Needs</i>
 * (2025) [CODE: {@code rlla.py}, format ∈ {0, 1}], and the tag-balance check of <i>Information
 * Gain-based Policy Optimization: A Simple and Effective Approach for Multi-Turn LLM Agents</i> (IGPO)
 * [CODE: {@code check_tags_balance}, −2 when unbalanced]. The exact rule below is [INFERRED]: a
 * generalisation of both to configurable tags.
 *
 * <p>Formula: r_t = reward if wellformed(a_t) else penalty. A message is well-formed when (1) the tags of
 * {@code requiredTags}, {@code thinkTag} and {@code tool_call} are balanced and properly nested; (2) with a
 * {@code thinkTag}, it opens with exactly one such block; (3) its tool calls, if any, can be read: every
 * {@code tool_calls} entry has a name and arguments that are a JSON object, every {@code <tool_call>} block
 * holds call objects with a name; and (4) if it makes no tool call, each required tag appears at least once
 * (a turn that calls a tool is not expected to answer yet). Defaults are reward 1 and penalty 0, the
 * {0, 1} indicator ToolRL uses; IGPO's setting is penalty −2. Stateless and thread-safe.
 */
public final class FormatShaperProvider implements ShaperProvider<FormatShaperProvider.Config> {

  /**
   * The configuration of {@code format}. Immutable; validated on construction.
   *
   * @param requiredTags tags a message that calls no tool must contain, balanced; default {@code [answer]};
   *     may be empty
   * @param thinkTag the reasoning block a message must open with, e.g. {@code think}; empty (the default)
   *     for none
   * @param reward the value for a well-formed message; default 1.0
   * @param penalty the value for a malformed one; default 0.0; must be less than {@code reward}
   * @param lastTurnOnly whether only the final agent message is judged; default false (every message)
   */
  public record Config(List<String> requiredTags, String thinkTag, double reward, double penalty,
      boolean lastTurnOnly) {
    public Config {
      requiredTags = requiredTags == null ? List.of("answer") : List.copyOf(requiredTags);
      thinkTag = thinkTag == null ? "" : thinkTag.strip();
      for (String t : requiredTags) {
        TextConfigs.checkTag("requiredTags", t, false);
        if (t.equals("tool_call")) {
          throw new IllegalArgumentException("requiredTags cannot hold 'tool_call' (tool calls are checked on "
              + "their own), was " + requiredTags);
        }
      }
      TextConfigs.checkTag("thinkTag", thinkTag, true);
      TextConfigs.checkFinite("reward", reward);
      TextConfigs.checkFinite("penalty", penalty);
      if (!(penalty < reward)) {
        throw new IllegalArgumentException("penalty must be less than reward (" + reward + "), was " + penalty);
      }
    }

    /** {@code <answer>} required, no think block, 1 or 0, every turn. */
    public static Config defaults() {
      return new Config(List.of("answer"), "", 1.0, 0.0, false);
    }
  }

  @Override
  public String name() {
    return "format";
  }

  @Override
  public String description() {
    return "fixed reward for a well-formed message (tags present and balanced, tool calls readable), penalty "
        + "otherwise";
  }

  @Override
  public String formula() {
    return "r_t = wellformed(a_t) ? reward : penalty";
  }

  @Override
  public String reference() {
    return "ToolRL: Reward is All Tool Learning Needs (Qian et al. 2025), format reward [CODE]; IGPO tag "
        + "balance [CODE]; the combined rule [INFERRED]";
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
    return new FormatShaper(config);
  }

  static final class FormatShaper extends TextShaper {
    private final Config config;
    private final Set<String> tags;

    FormatShaper(Config config) {
      super(config.lastTurnOnly());
      this.config = config;
      Set<String> t = new LinkedHashSet<>(config.requiredTags());
      if (!config.thinkTag().isEmpty()) {
        t.add(config.thinkTag());
      }
      t.add("tool_call");
      this.tags = Set.copyOf(t);
    }

    @Override
    TurnScores scores(Episode episode) {
      return (t, out) -> out.add("format", wellFormed(t.action()) ? config.reward() : config.penalty());
    }

    boolean wellFormed(Message m) {
      String text = m.content();
      if (!Tags.balanced(text, tags)) {
        return false;
      }
      String think = config.thinkTag();
      if (!think.isEmpty()) {
        if (!text.stripLeading().startsWith("<" + think + ">") || Tags.bodies(text, think).size() != 1) {
          return false;
        }
      }
      ToolCalls.Extracted calls = ToolCalls.fromMessage(m);
      if (calls instanceof ToolCalls.Malformed) {
        return false;
      }
      if (!((ToolCalls.Calls) calls).calls().isEmpty()) {
        return true;
      }
      for (String tag : config.requiredTags()) {
        if (Tags.bodies(text, tag).isEmpty()) {
          return false;
        }
      }
      return true;
    }
  }
}
