package dev.ludus.runner.export;

import dev.ludus.api.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code ludus export} writes: a Python trainer's data layout, and the file kind it defaults to. */
public enum ExportFormat {
  /** verl's RL prompts: {@code data_source, prompt, ability, reward_model, extra_info}. */
  VERL_RL("verl-rl", Container.PARQUET, "verl RL data: data_source, prompt, ability, reward_model, extra_info"),
  /** verl's multi-turn SFT: {@code messages, tools}. */
  VERL_SFT("verl-sft", Container.PARQUET, "verl multi-turn SFT: messages (tool-call arguments as JSON text), tools"),
  /** SkyRL's prompts: {@code data_source, prompt, env_class, reward_spec, extra_info}. */
  SKYRL("skyrl", Container.PARQUET, "SkyRL data: data_source, prompt, env_class, reward_spec, extra_info"),
  /** OpenRLHF SFT: the opening messages under the input key, the rest under the output key. */
  OPENRLHF_SFT("openrlhf-sft", Container.JSONL, "OpenRLHF SFT: input (opening messages), output (the rest)"),
  /** OpenRLHF reward-model / DPO pairs mined within groups. */
  OPENRLHF_DPO("openrlhf-dpo", Container.JSONL, "OpenRLHF RM/DPO pairs: prompt, chosen, rejected"),
  /** TRL conversational language modelling: {@code messages} (and {@code tools}). */
  TRL_MESSAGES("trl-messages", Container.JSONL, "TRL conversational: messages, tools"),
  /** TRL conversational preference with an explicit prompt: {@code prompt, chosen, rejected}. */
  TRL_PREFERENCE("trl-preference", Container.JSONL, "TRL conversational preference: prompt, chosen, rejected"),
  /** Token-level rollouts: prompt and response ids, the agent-token mask, behaviour log-probs, per-token rewards. */
  TOKENS("tokens", Container.JSONL, "token-level rollouts: prompt_ids, response_ids, response_mask, "
      + "response_logprobs, token_rewards"),
  /** {@code metrics.jsonl} in verl's file-logger layout: {@code {"step": N, "data": {...}}}. */
  VERL_METRICS("verl-metrics", Container.JSONL, "metrics.jsonl as verl's file logger writes it: {step, data}");

  /** The kinds of file an export can be. */
  public enum Container {
    PARQUET(".parquet"),
    JSONL(".jsonl");

    private final String extension;

    Container(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }
  }

  private final String wireName;
  private final Container defaultContainer;
  private final String description;

  ExportFormat(String wireName, Container defaultContainer, String description) {
    this.wireName = wireName;
    this.defaultContainer = defaultContainer;
    this.description = description;
  }

  /** The name on the command line, e.g. {@code verl-rl}. */
  public String wireName() {
    return wireName;
  }

  /** The file kind written unless the output's extension asks for the other. */
  public Container defaultContainer() {
    return defaultContainer;
  }

  public String description() {
    return description;
  }

  /** Whether this format pairs episodes of a group (chosen against rejected). */
  public boolean pairs() {
    return this == OPENRLHF_DPO || this == TRL_PREFERENCE;
  }

  /** Whether this format can also be written as Parquet (the metrics' keys vary from run to run: JSONL only). */
  public boolean allows(Container c) {
    return c == Container.JSONL || this != VERL_METRICS;
  }

  /** Every format's name, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(ExportFormat::wireName).collect(Collectors.joining(", "));
  }

  /** The format called {@code name}; fails naming it and the formats there are. */
  public static ExportFormat of(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ExportFormat f : values()) {
      if (f.wireName.equals(n)) {
        return f;
      }
    }
    throw new ConfigException("unknown export format '" + name + "'; formats: " + names());
  }
}
