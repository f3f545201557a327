package dev.ludus.simulators.llm;

import dev.ludus.simulators.tutoring.TutoringUserConfig;
import java.util.List;

/**
 * The {@code tutoring-llm-user}'s configuration: the rule-based student's ({@link TutoringUserConfig}; its
 * {@code attempts}, the final attempts, is called {@code finalAttempts} here, since {@code attempts} is the model's)
 * and the pinned model settings ({@link LlmSettings}). Its template is {@code tutoring-student.jinja}. Immutable;
 * validated on construction, naming the bad field.
 *
 * @param kinds see {@link TutoringUserConfig#kinds()}
 * @param knownRate see {@link TutoringUserConfig#knownRate()} (default 0.5)
 * @param misconceptionRate see {@link TutoringUserConfig#misconceptionRate()} (default 0.5)
 * @param leakSteps see {@link TutoringUserConfig#leakSteps()} (default 2)
 * @param finalAttempts see {@link TutoringUserConfig#attempts()} (default 8)
 * @param slip see {@link TutoringUserConfig#slip()} (default 0.1)
 * @param guess see {@link TutoringUserConfig#guess()} (default 0.05)
 * @param skills see {@link TutoringUserConfig#skills()}
 * @param problems see {@link TutoringUserConfig#problems()}
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record TutoringLlmUserConfig(List<String> kinds, Double knownRate, Double misconceptionRate, Integer leakSteps,
    Integer finalAttempts, Double slip, Double guess, String skills, String problems, String endpoint,
    Double temperature, Double topP, Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public TutoringLlmUserConfig {
    TutoringUserConfig r = TutoringUserConfig.defaults();
    knownRate = knownRate == null ? r.knownRate() : knownRate;
    misconceptionRate = misconceptionRate == null ? r.misconceptionRate() : misconceptionRate;
    leakSteps = leakSteps == null ? r.leakSteps() : leakSteps;
    finalAttempts = finalAttempts == null ? r.attempts() : finalAttempts;
    slip = slip == null ? r.slip() : slip;
    guess = guess == null ? r.guess() : guess;
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    new TutoringUserConfig(kinds, knownRate, misconceptionRate, leakSteps, finalAttempts, slip, guess, skills,
        problems);
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static TutoringLlmUserConfig defaults() {
    return new TutoringLlmUserConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  /** The rule-based student's settings this twin shares. */
  public TutoringUserConfig rules() {
    return new TutoringUserConfig(kinds, knownRate, misconceptionRate, leakSteps, finalAttempts, slip, guess, skills,
        problems);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
