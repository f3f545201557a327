package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.persuasion.PersuasionUserProvider;

/**
 * Registers the LLM-driven twin of {@code persuasion-user} as {@value #NAME} (see {@link PersuasionLlmUserConfig}):
 * the same personas, hidden state and signals, with the propensity, the decision and the reply coming from the
 * model behind a named endpoint as JSON. Switching the {@code persuasion} world to it is a configuration change:
 * {@code user: {name: persuasion-llm-user, config: {endpoint: user-model}}}. Stateless and thread-safe.
 */
public final class PersuasionLlmUserProvider implements SimulatorProvider<PersuasionLlmUserConfig>,
    RuleBasedTwin<PersuasionLlmUserConfig> {
  public static final String NAME = "persuasion-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The persuadee played by a language model (JSON: updated propensity, decision, reply), with the "
        + "rule-based persuadee's hidden state and signals";
  }

  @Override
  public Class<PersuasionLlmUserConfig> configType() {
    return PersuasionLlmUserConfig.class;
  }

  @Override
  public PersuasionLlmUserConfig defaultConfig() {
    return PersuasionLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(PersuasionLlmUserConfig config, PluginContext context) {
    return new PersuasionLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return PersuasionUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(PersuasionLlmUserConfig config) {
    return config.rules();
  }
}
