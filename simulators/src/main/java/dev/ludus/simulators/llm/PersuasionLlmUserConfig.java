package dev.ludus.simulators.llm;

import dev.ludus.simulators.persuasion.PersuasionUserConfig;

/**
 * The {@code persuasion-llm-user}'s configuration: the rule-based persuadee's ({@link PersuasionUserConfig}: the
 * persona table) and the pinned model settings ({@link LlmSettings}). Its template is {@code persuadee.jinja}.
 * Immutable; validated on construction, naming the bad field.
 *
 * @param personas see {@link PersuasionUserConfig#personas()}
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record PersuasionLlmUserConfig(String personas, String endpoint, Double temperature, Double topP,
    Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public PersuasionLlmUserConfig {
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    new PersuasionUserConfig(personas);
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static PersuasionLlmUserConfig defaults() {
    return new PersuasionLlmUserConfig(null, null, null, null, null, null, null, null);
  }

  /** The rule-based persuadee's settings this twin shares. */
  public PersuasionUserConfig rules() {
    return new PersuasionUserConfig(personas);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
