package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.support.EmotionalSupportUserProvider;

/**
 * Registers the LLM-driven twin of {@code emotional-support-user} as {@value #NAME} (see {@link
 * EmotionalSupportLlmUserConfig}): the same profiles, hidden state and signals, with SAGE's analyser (JSON: fit and
 * emotion change) and actor (the reply) played by the model behind a named endpoint. Switching the
 * {@code emotional-support} world to it is a configuration change: {@code user: {name: emotional-support-llm-user,
 * config: {endpoint: user-model}}}. Stateless and thread-safe.
 */
public final class EmotionalSupportLlmUserProvider implements SimulatorProvider<EmotionalSupportLlmUserConfig>,
    RuleBasedTwin<EmotionalSupportLlmUserConfig> {
  public static final String NAME = "emotional-support-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The emotional-support user played by a language model (SAGE's analyser and actor), with the rule-based "
        + "user's hidden state and signals";
  }

  @Override
  public Class<EmotionalSupportLlmUserConfig> configType() {
    return EmotionalSupportLlmUserConfig.class;
  }

  @Override
  public EmotionalSupportLlmUserConfig defaultConfig() {
    return EmotionalSupportLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(EmotionalSupportLlmUserConfig config, PluginContext context) {
    return new EmotionalSupportLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return EmotionalSupportUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(EmotionalSupportLlmUserConfig config) {
    return config.rules();
  }
}
