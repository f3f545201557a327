package dev.ludus.shaping.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import dev.ludus.api.tools.StrictJson;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tool-call}: ToolRL's tool-use reward, per agent turn that has gold calls: a format component in
 * {0, 1} and a correctness component in [−3, 3], so r_t ∈ [−3, 4].
 *
 * <p>Paper: Qian et al., <i>ToolRL: Reward is All Tool Learning Needs</i> (2025); formula from the
 * authors' code ({@code rlla.py}) [CODE], catalog entry D7.
 *
 * <p>Formula: r_t = format_t + correctness_t, where correctness_t = +3 if the calls equal the gold calls
 * (same order, same arguments), −3 if calls were expected and the message has none or one that cannot be
 * read, 0 if the turn has no gold calls, and otherwise 6·score/score_max − 3 with
 * score = J(names) + Σ_{gold g} max_{unused prediction p named like g} [J(keys(g), keys(p)) + #{k: p[k] = g[k]}]
 * and score_max = 1 + Σ_g (1 + |args(g)|), J being the multiset Jaccard similarity ({@code match_score}).
 * format_t = 1 if the message's layout is the one the gold asks for, else 0 (see {@link Config}).
 *
 * <p>Where the gold comes from: the task field {@link Config#goldField()} holds a JSON array of
 * {@code {"name": ..., "arguments": {...}}} ({@code parameters} is accepted for {@code arguments}), or a ToolRL
 * row's {@code output} text as it is ({@code <think>...</think>}, a {@code <tool_call>} block of one call object per
 * line, and/or {@code <response>...</response>}), read as {@code rlla.py} reads its ground truth: the calls of the
 * first block, and the expected layout (calls, a response, or both) from the blocks present. By
 * default it is the gold of the first turn only, as in ToolRL's single-step setting; with
 * {@link Config#perTurn()} the field holds an array of such arrays, one per agent turn (turns past its end
 * are not rewarded; an empty array means "no call expected here"). The agent's calls are its message's
 * {@code tool_calls}, or when it has none its hermes-style {@code <tool_call>{...}</tool_call>} blocks
 * (every block, each holding one or more call objects, one per line as in ToolRL's data).
 *
 * <p>Deviations from {@code rlla.py}, all for chat messages rather than raw completions: (1) the format
 * check allows any whitespace between blocks where ToolRL demands exactly one newline, and one or more
 * {@code <tool_call>} blocks where ToolRL demands one (hermes writes one block per call); (2) calls sent as
 * structured {@code tool_calls} count as the tool-call block, so the text must then hold only the think
 * block; (3) JSON values compare numerically ({@code 1 == 1.0}, as in Python) but a boolean never equals
 * a number (Python's {@code True == 1}); (4) ToolRL reads only the first {@code <tool_call>} block.
 * Stateless and thread-safe.
 */
public final class ToolCallShaperProvider implements ShaperProvider<ToolCallShaperProvider.Config> {

  /**
   * The configuration of {@code tool-call}. Immutable; validated on construction.
   *
   * @param goldField the task field holding the gold calls as JSON; default {@code gold_calls}
   * @param perTurn whether that field holds one array of calls per agent turn (an array of arrays) rather
   *     than the calls of the first turn; default false
   * @param thinkTag the reasoning block every message must open with, e.g. {@code think}; empty for none;
   *     default {@code think} (ToolRL requires it)
   * @param responseTag the block a message must end with when no call is expected, e.g. {@code response}
   *     (ToolRL); empty when such a message holds only the think block; default {@code response}
   */
  public record Config(String goldField, boolean perTurn, String thinkTag, String responseTag) {
    public Config {
      goldField = goldField == null ? "gold_calls" : goldField;
      thinkTag = thinkTag == null ? "think" : thinkTag.strip();
      responseTag = responseTag == null ? "response" : responseTag.strip();
      if (goldField.isBlank()) {
        throw new IllegalArgumentException("goldField must name a task field, was '" + goldField + "'");
      }
      TextConfigs.checkTag("thinkTag", thinkTag, true);
      TextConfigs.checkTag("responseTag", responseTag, true);
      if (thinkTag.equals("tool_call") || responseTag.equals("tool_call")) {
        throw new IllegalArgumentException("thinkTag and responseTag cannot be 'tool_call' (the call block)");
      }
      if (!thinkTag.isEmpty() && thinkTag.equals(responseTag)) {
        throw new IllegalArgumentException("thinkTag and responseTag must differ, both were '" + thinkTag + "'");
      }
    }

    /** Gold in {@code gold_calls} for the first turn, {@code <think>} then calls or {@code <response>}. */
    public static Config defaults() {
      return new Config("gold_calls", false, "think", "response");
    }
  }

  @Override
  public String name() {
    return "tool-call";
  }

  @Override
  public String description() {
    return "ToolRL tool-use reward: format {0,1} plus correctness [-3,3] of the calls against gold calls";
  }

  @Override
  public String formula() {
    return "r_t = format_t + (exact ? 3 : no/bad calls ? -3 : 6·score/score_max - 3) ∈ [-3, 4]";
  }

  @Override
  public String reference() {
    return "Qian et al., ToolRL: Reward is All Tool Learning Needs (2025) [CODE: rlla.py]";
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
    return new ToolCallShaper(config);
  }

  static final class ToolCallShaper extends TextShaper {
    private final Config config;

    ToolCallShaper(Config config) {
      super(false);
      this.config = config;
    }

    @Override
    TurnScores scores(Episode episode) {
      List<ToolCalls.Gold> gold = gold(episode);
      return (t, out) -> {
        if (t.index() >= gold.size()) {
          return;
        }
        List<ToolCalls.Call> expected = gold.get(t.index()).calls();
        boolean structured = !t.action().toolCalls().isEmpty();
        boolean format = ToolRlScore.formatOk(t.action().content(), structured, !expected.isEmpty(),
            gold.get(t.index()).response(), config.thinkTag(), config.responseTag());
        out.add("format", format ? 1.0 : 0.0);
        out.add("correctness", correctness(expected, t));
      };
    }

    private static double correctness(List<ToolCalls.Call> expected, Turn t) {
      if (expected.isEmpty()) {
        return 0.0;
      }
      ToolCalls.Extracted got = ToolCalls.fromMessage(t.action());
      if (got instanceof ToolCalls.Calls c && !c.calls().isEmpty()) {
        return ToolRlScore.correctness(expected, c.calls());
      }
      return ToolRlScore.CORRECT_MIN;
    }

    private List<ToolCalls.Gold> gold(Episode episode) {
      String field = config.goldField();
      String raw = episode.task().fields().get(field);
      String where = "field '" + field + "' of task '" + episode.task().id() + "'";
      if (raw == null) {
        throw new IllegalArgumentException("task '" + episode.task().id() + "' has no field '" + field
            + "' with the gold tool calls");
      }
      try {
        if (!config.perTurn() && StrictJson.tryParse(raw).isEmpty() && ToolCalls.looksLikeToolRlOutput(raw)) {
          return List.of(ToolCalls.toolRlOutput(raw));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      JsonNode json;
      try {
        json = StrictJson.parse(raw);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " is neither JSON nor a ToolRL output: " + e.getMessage());
      }
      try {
        if (!config.perTurn()) {
          return List.of(ToolCalls.Gold.ofCalls(ToolCalls.goldCalls(json)));
        }
        if (!json.isArray()) {
          throw new IllegalArgumentException("with perTurn the gold must be an array of arrays of calls");
        }
        List<ToolCalls.Gold> out = new ArrayList<>();
        for (JsonNode turn : json) {
          out.add(turn.isTextual() ? ToolCalls.toolRlOutput(turn.asText())
              : ToolCalls.Gold.ofCalls(ToolCalls.goldCalls(turn)));
        }
        return out;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
  }
}
