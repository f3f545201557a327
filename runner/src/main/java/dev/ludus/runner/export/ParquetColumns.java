package dev.ludus.runner.export;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Parquet column types of each format, as DuckDB types, so that every file of a format has one schema whatever
 * its episodes held. {@link #INFERRED} marks free-form JSON (tool specs) whose structure DuckDB unions over the rows.
 * Stateless.
 */
final class ParquetColumns {
  /** A column whose structure is taken from the data. */
  static final String INFERRED = "<inferred JSON>";

  /** The structure of an inferred column no row gave an object for: a list of OpenAI tool specs. */
  static final String WHEN_EMPTY = "[{\"type\":\"VARCHAR\",\"function\":{\"name\":\"VARCHAR\","
      + "\"description\":\"VARCHAR\"}}]";

  private static final String MESSAGE = "STRUCT(role VARCHAR, content VARCHAR, tool_calls STRUCT(id VARCHAR, "
      + "type VARCHAR, function STRUCT(name VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, name VARCHAR)";
  private static final String PROMPT = "STRUCT(role VARCHAR, content VARCHAR)[]";
  private static final String EXTRA_INFO = "STRUCT(split VARCHAR, index BIGINT, episode_id VARCHAR, group_id VARCHAR, "
      + "task_id VARCHAR, task_seed BIGINT, seed BIGINT, env VARCHAR, agent VARCHAR, iteration INTEGER, "
      + "status VARCHAR, failure VARCHAR, success BOOLEAN, env_return DOUBLE, shaped_return DOUBLE, "
      + "num_turns INTEGER, turn_rewards DOUBLE[], ledger STRUCT(turn INTEGER, source VARCHAR, component VARCHAR, "
      + "raw DOUBLE, value DOUBLE)[], interaction_kwargs STRUCT(name VARCHAR, query VARCHAR, ground_truth VARCHAR))";

  private ParquetColumns() {}

  static boolean isInferred(String type) {
    return INFERRED.equals(type);
  }

  /** The columns of {@code format}, in order. */
  static Map<String, String> of(ExportFormat format, ExportKeys keys) {
    Map<String, String> c = new LinkedHashMap<>();
    switch (format) {
      case VERL_RL -> {
        c.put("data_source", "VARCHAR");
        c.put("prompt", PROMPT);
        c.put("ability", "VARCHAR");
        c.put("reward_model", "STRUCT(style VARCHAR, ground_truth VARCHAR)");
        c.put("extra_info", EXTRA_INFO);
      }
      case SKYRL -> {
        c.put("data_source", "VARCHAR");
        c.put("prompt", PROMPT);
        c.put("env_class", "VARCHAR");
        c.put("reward_spec", "STRUCT(method VARCHAR, ground_truth VARCHAR)");
        c.put("extra_info", EXTRA_INFO);
      }
      case VERL_SFT -> {
        c.put("messages", MESSAGE + "[]");
        c.put("tools", INFERRED);
        c.put("data_source", "VARCHAR");
        c.put("extra_info", EXTRA_INFO);
      }
      case TRL_MESSAGES -> {
        c.put("messages", MESSAGE + "[]");
        c.put("tools", INFERRED);
      }
      case OPENRLHF_SFT -> {
        c.put(keys.input(), MESSAGE + "[]");
        c.put(keys.output(), MESSAGE + "[]");
      }
      case OPENRLHF_DPO, TRL_PREFERENCE -> {
        ExportKeys k = format == ExportFormat.TRL_PREFERENCE ? ExportKeys.defaults() : keys;
        c.put(k.prompt(), MESSAGE + "[]");
        c.put(k.chosen(), MESSAGE + "[]");
        c.put(k.rejected(), MESSAGE + "[]");
        c.put("chosen_id", "VARCHAR");
        c.put("rejected_id", "VARCHAR");
      }
      case TOKENS -> {
        c.put("trajectory_id", "VARCHAR");
        c.put("segment", "INTEGER");
        c.put("last_segment", "BOOLEAN");
        c.put("group_id", "VARCHAR");
        c.put("env", "VARCHAR");
        c.put("task_id", "VARCHAR");
        c.put("policy_version", "BIGINT");
        c.put("prompt_ids", "INTEGER[]");
        c.put("response_ids", "INTEGER[]");
        c.put("response_mask", "TINYINT[]");
        c.put("response_logprobs", "FLOAT[]");
        c.put("token_rewards", "FLOAT[]");
        c.put("turn_rewards", "DOUBLE[]");
        c.put("first_turn", "INTEGER");
        c.put("num_turns", "INTEGER");
        c.put("reward", "DOUBLE");
        c.put("status", "VARCHAR");
        c.put("success", "BOOLEAN");
      }
      case VERL_METRICS -> throw new IllegalArgumentException("verl-metrics is JSON Lines only");
      default -> throw new IllegalStateException(format.name());
    }
    return c;
  }
}
