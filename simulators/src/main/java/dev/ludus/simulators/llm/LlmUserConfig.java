package dev.ludus.simulators.llm;

/**
 * The generic {@code llm-user}'s configuration: the pinned model settings (see {@link LlmSettings}) and what the user
 * plays. A task's {@code persona} and {@code scenario} fields (tau2's {@code user_scenario.persona} and
 * {@code instructions}) replace the configured ones. Immutable; validated on construction, naming the bad field.
 *
 * @param endpoint see {@link LlmSettings#endpoint()}
 * @param temperature see {@link LlmSettings#temperature()}
 * @param topP see {@link LlmSettings#topP()}
 * @param maxTokens see {@link LlmSettings#maxTokens()}
 * @param seed see {@link LlmSettings#seed()}
 * @param attempts see {@link LlmSettings#attempts()} (unused by this user, which writes free text)
 * @param prompts see {@link LlmSettings#prompts()}; this user's template is {@code llm-user.jinja}
 * @param persona who the user is (may be empty)
 * @param scenario what the user wants and knows; must not be empty unless every task gives one
 * @param greeting the agent's opening line the user answers (tau-bench's and verifiers' default)
 * @param allowDone tell the model it may end with {@code ###DONE###} (verifiers) besides tau2's tokens (default true)
 */
public record LlmUserConfig(String endpoint, Double temperature, Double topP, Integer maxTokens, Long seed,
    Integer attempts, String prompts, String persona, String scenario, String greeting, Boolean allowDone) {
  public static final String DEFAULT_GREETING = "Hello! How can I help you today?";

  public LlmUserConfig {
    LlmSettings d = LlmSettings.defaults();
    temperature = temperature == null ? d.temperature() : temperature;
    topP = topP == null ? d.topP() : topP;
    maxTokens = maxTokens == null ? d.maxTokens() : maxTokens;
    attempts = attempts == null ? d.attempts() : attempts;
    persona = persona == null ? "" : persona.strip();
    scenario = scenario == null ? "" : scenario.strip();
    greeting = greeting == null || greeting.isBlank() ? DEFAULT_GREETING : greeting.strip();
    allowDone = allowDone == null || allowDone;
    new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }

  public static LlmUserConfig defaults() {
    return new LlmUserConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The pinned model settings. */
  public LlmSettings settings() {
    return new LlmSettings(endpoint, temperature, topP, maxTokens, seed, attempts, prompts);
  }
}
