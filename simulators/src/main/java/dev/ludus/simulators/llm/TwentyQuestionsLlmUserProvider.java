package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.questions.TwentyQuestionsUserProvider;

/**
 * Registers the LLM-driven twin of {@code twenty-questions-user} as {@value #NAME} (see
 * {@link TwentyQuestionsLlmUserConfig}): the same pool, hidden item and signals, with the answer to each yes/no
 * question (yes, no or don't know) and the reply coming from the model behind a named endpoint as JSON, and the
 * candidate set computed from those answers as the rule-based user computes it. Switching the
 * {@code twenty-questions} world to it is a configuration change:
 * {@code user: {name: twenty-questions-llm-user, config: {endpoint: user-model}}}. Stateless and thread-safe.
 */
public final class TwentyQuestionsLlmUserProvider implements SimulatorProvider<TwentyQuestionsLlmUserConfig>,
    RuleBasedTwin<TwentyQuestionsLlmUserConfig> {
  public static final String NAME = "twenty-questions-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The twenty-questions user played by a language model (JSON: yes, no or don't know, and the reply), "
        + "with the rule-based user's hidden item, candidate set and signals";
  }

  @Override
  public Class<TwentyQuestionsLlmUserConfig> configType() {
    return TwentyQuestionsLlmUserConfig.class;
  }

  @Override
  public TwentyQuestionsLlmUserConfig defaultConfig() {
    return TwentyQuestionsLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(TwentyQuestionsLlmUserConfig config, PluginContext context) {
    return new TwentyQuestionsLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return TwentyQuestionsUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(TwentyQuestionsLlmUserConfig config) {
    return config.rules();
  }
}
