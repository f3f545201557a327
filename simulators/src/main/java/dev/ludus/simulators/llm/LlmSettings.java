package dev.ludus.simulators.llm;

import dev.ludus.api.ConfigException;

/**
 * The model settings an LLM-driven user is pinned to: which named endpoint of the run's {@code llm:} section it calls
 * (the endpoint names the model), how it samples, how often a malformed structured reply is asked again, and where
 * prompt overrides live. Part of the user's configuration, so the run configuration records them. Immutable;
 * validated on construction, naming the bad field.
 *
 * @param endpoint the name of a chat endpoint in the run's {@code llm:} section (default {@code user-model})
 * @param temperature sampling temperature, 0 to 2 (default 0.7)
 * @param topP nucleus mass, in (0, 1] (default 1)
 * @param maxTokens the most tokens per reply, at least 1 (default 256)
 * @param seed the sampling seed mixed with the episode's, or null to use the episode's alone
 * @param attempts how many times a structured reply is asked for before the turn is a simulator failure, 1 to 10
 *     (default 3)
 * @param prompts a directory of {@code NAME.jinja} files replacing built-in templates of the same name, or null
 */
public record LlmSettings(String endpoint, double temperature, double topP, int maxTokens, Long seed, int attempts,
    String prompts) {
  /** The endpoint name used when none is given. */
  public static final String DEFAULT_ENDPOINT = "user-model";

  public LlmSettings {
    endpoint = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.trim();
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new ConfigException("temperature must be in [0, 2], was " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new ConfigException("topP must be in (0, 1], was " + topP);
    }
    if (maxTokens < 1) {
      throw new ConfigException("maxTokens must be at least 1, was " + maxTokens);
    }
    if (attempts < 1 || attempts > 10) {
      throw new ConfigException("attempts must be in 1..10, was " + attempts);
    }
    prompts = prompts == null || prompts.isBlank() ? null : prompts.trim();
    PromptTemplates.of(prompts);
  }

  /** The defaults: endpoint {@code user-model}, temperature 0.7, top-p 1, 256 tokens, 3 attempts. */
  public static LlmSettings defaults() {
    return new LlmSettings(DEFAULT_ENDPOINT, 0.7, 1.0, 256, null, 3, null);
  }

  /** The templates these settings read. */
  public PromptTemplates templates() {
    return PromptTemplates.of(prompts);
  }
}
