package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.intent.IntentUserProvider;

/**
 * Registers the LLM-driven twin of {@code intent-user} as {@value #NAME} (see {@link IntentLlmUserConfig}): the same
 * specification, hidden intent, expertise and signals, with each answer to a question about one attribute (and the
 * reply) coming from the model behind a named endpoint as JSON. Switching the {@code intent-discovery} world to it is
 * a configuration change: {@code user: {name: intent-llm-user, config: {endpoint: user-model}}} (it takes the
 * specification and expertise from its own config). Stateless and thread-safe.
 */
public final class IntentLlmUserProvider implements SimulatorProvider<IntentLlmUserConfig>,
    RuleBasedTwin<IntentLlmUserConfig> {
  public static final String NAME = "intent-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The intent user played by a language model (JSON: its answer to a question about one attribute, "
        + "reply), with the rule-based intent user's hidden intent, candidate set and signals";
  }

  @Override
  public Class<IntentLlmUserConfig> configType() {
    return IntentLlmUserConfig.class;
  }

  @Override
  public IntentLlmUserConfig defaultConfig() {
    return IntentLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(IntentLlmUserConfig config, PluginContext context) {
    return new IntentLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return IntentUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(IntentLlmUserConfig config) {
    return config.rules();
  }
}
