package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.profile.PersonalisationUserProvider;

/**
 * Registers the LLM-driven twin of {@code personalisation-user} as {@value #NAME} (see {@link
 * PersonalisationLlmUserConfig}): the same profiles, hidden state and signals, with the facts revealed each turn and
 * the reply coming from the model behind a named endpoint as JSON. Stateless and thread-safe.
 */
public final class PersonalisationLlmUserProvider implements SimulatorProvider<PersonalisationLlmUserConfig>,
    RuleBasedTwin<PersonalisationLlmUserConfig> {
  public static final String NAME = "personalisation-llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "The personalisation user played by a language model (JSON: facts revealed, reply), with the rule-based "
        + "user's hidden state and signals";
  }

  @Override
  public Class<PersonalisationLlmUserConfig> configType() {
    return PersonalisationLlmUserConfig.class;
  }

  @Override
  public PersonalisationLlmUserConfig defaultConfig() {
    return PersonalisationLlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(PersonalisationLlmUserConfig config, PluginContext context) {
    return new PersonalisationLlmUser(config, context.chatClient(config.settings().endpoint()));
  }

  @Override
  public String ruleBasedName() {
    return PersonalisationUserProvider.NAME;
  }

  @Override
  public Object ruleBasedConfig(PersonalisationLlmUserConfig config) {
    return config.rules();
  }
}
