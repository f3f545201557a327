package dev.ludus.simulators.llm;

import dev.ludus.simulators.intent.IntentUserConfig;

/**
 * The {@code intent-llm-user}'s configuration: the rule-based intent user's ({@link IntentUserConfig}: the
 * specification and the expertise) and the pinned model settings ({@link LlmSettings}). Its template is
 * {@code intent-user.jinja}. Immutable; validated on construction, naming the bad field.
 *
 * @param spec see {@link IntentUserConfig#spec()}
 * @param expertise see {@link IntentUserConfig#expertise()}
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record IntentLlmUserConfig(String spec, String expertise, String endpoint, Double temperature, Double topP,
    Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public IntentLlmUserConfig {
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    expertise = new IntentUserConfig(spec, expertise).expertise();
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static IntentLlmUserConfig defaults() {
    return new IntentLlmUserConfig(null, null, null, null, null, null, null, null, null);
  }

  /** The rule-based intent user's settings this twin shares. */
  public IntentUserConfig rules() {
    return new IntentUserConfig(spec, expertise);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
