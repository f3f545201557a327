package dev.ludus.simulators.llm;

import dev.ludus.simulators.profile.PersonalisationUserConfig;

/**
 * The {@code personalisation-llm-user}'s configuration: the rule-based user's ({@link PersonalisationUserConfig}:
 * profile table, share of the profile revealed per reply) and the pinned model settings ({@link LlmSettings}). Its
 * template is {@code confidant.jinja}. Immutable; validated on construction, naming the bad field.
 *
 * @param profiles see {@link PersonalisationUserConfig#profiles()}
 * @param revealShare see {@link PersonalisationUserConfig#revealShare()} (default 0.15, RLPA's)
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record PersonalisationLlmUserConfig(String profiles, Double revealShare, String endpoint, Double temperature,
    Double topP, Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public PersonalisationLlmUserConfig {
    revealShare = revealShare == null ? PersonalisationUserConfig.defaults().revealShare() : revealShare;
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    new PersonalisationUserConfig(profiles, revealShare);
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static PersonalisationLlmUserConfig defaults() {
    return new PersonalisationLlmUserConfig(null, null, null, null, null, null, null, null, null);
  }

  /** The rule-based user's settings this twin shares. */
  public PersonalisationUserConfig rules() {
    return new PersonalisationUserConfig(profiles, revealShare);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
