package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.tutoring.TutoringUserProvider;

/**
 * Registers the LLM-driven twin of {@code tutoring-student} as {@value #NAME} (see {@link TutoringLlmUserConfig}):
 * the same problems, skills, misconceptions, leak check, final attempts and signals, with which hinted skills the
 * student now understands and its reply coming from the model behind a named endpoint as JSON. Switching the
 * {@code tutoring} world to it is a configuration change:
 * {@code user: {name: tutoring-llm-user, config: {endpoint: user-model}}}. Stateless and thread-safe.
 */
public final class TutoringLlmUserProvider implements SimulatorProvider<TutoringLlmUserConfig>,
    RuleBasedTwin<TutoringLlmUserConfig> {
  public static final String NAME = "tutoring-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The tutoring student played by a language model (JSON: the hinted skills it now understands, reply), "
        + "with the rule-based student's hidden state, leak check, final attempts and signals";
  }

  @Override
  public Class<TutoringLlmUserConfig> configType() {
    return TutoringLlmUserConfig.class;
  }

  @Override
  public TutoringLlmUserConfig defaultConfig() {
    return TutoringLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(TutoringLlmUserConfig config, PluginContext context) {
    return new TutoringLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return TutoringUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(TutoringLlmUserConfig config) {
    return config.rules();
  }
}
