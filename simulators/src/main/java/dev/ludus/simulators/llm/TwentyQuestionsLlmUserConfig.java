package dev.ludus.simulators.llm;

import dev.ludus.simulators.questions.TwentyQuestionsUserConfig;
import java.util.List;

/**
 * The {@code twenty-questions-llm-user}'s configuration: the rule-based user's ({@link TwentyQuestionsUserConfig}:
 * categories, candidates, list limit) and the pinned model settings ({@link LlmSettings}). Its template is
 * {@code twenty-questions-user.jinja}. Immutable; validated on construction, naming the bad field.
 *
 * @param categories see {@link TwentyQuestionsUserConfig#categories()}
 * @param candidates see {@link TwentyQuestionsUserConfig#candidates()} (default: the whole catalogue)
 * @param listLimit see {@link TwentyQuestionsUserConfig#listLimit()} (default 10)
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()}
 * @param prompts see {@link LlmSettings#prompts()}
 */
public record TwentyQuestionsLlmUserConfig(List<String> categories, Integer candidates, Integer listLimit,
    String endpoint, Double temperature, Double topP, Integer maxTokens, Long seed, Integer attempts, String prompts) {
  public TwentyQuestionsLlmUserConfig {
    TwentyQuestionsUserConfig r = TwentyQuestionsUserConfig.defaults();
    candidates = candidates == null ? r.candidates() : candidates;
    listLimit = listLimit == null ? r.listLimit() : listLimit;
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    new TwentyQuestionsUserConfig(categories, candidates, listLimit);
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static TwentyQuestionsLlmUserConfig defaults() {
    return new TwentyQuestionsLlmUserConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** The rule-based user's settings this twin shares. */
  public TwentyQuestionsUserConfig rules() {
    return new TwentyQuestionsUserConfig(categories, candidates, listLimit);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
