package dev.ludus.simulators.llm;

import dev.ludus.simulators.support.EmotionalSupportUserConfig;

/**
 * The {@code emotional-support-llm-user}'s configuration: the rule-based user's ({@link EmotionalSupportUserConfig}:
 * start emotion, change clip, profile table) and the pinned model settings ({@link LlmSettings}). Its templates are
 * {@code emotional-support-analyser.jinja} and {@code emotional-support-actor.jinja}. Immutable; validated on
 * construction, naming the bad field.
 *
 * @param startEmotion see {@link EmotionalSupportUserConfig#startEmotion()} (default 40, SAGE's)
 * @param deltaClip see {@link EmotionalSupportUserConfig#deltaClip()} (default 10, SAGE's)
 * @param profiles see {@link EmotionalSupportUserConfig#profiles()}
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record EmotionalSupportLlmUserConfig(Double startEmotion, Double deltaClip, String profiles, String endpoint,
    Double temperature, Double topP, Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public EmotionalSupportLlmUserConfig {
    startEmotion = startEmotion == null ? 40.0 : startEmotion;
    deltaClip = deltaClip == null ? 10.0 : deltaClip;
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    new EmotionalSupportUserConfig(startEmotion, deltaClip, profiles);
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static EmotionalSupportLlmUserConfig defaults() {
    return new EmotionalSupportLlmUserConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** The rule-based user's settings this twin shares. */
  public EmotionalSupportUserConfig rules() {
    return new EmotionalSupportUserConfig(startEmotion, deltaClip, profiles);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
