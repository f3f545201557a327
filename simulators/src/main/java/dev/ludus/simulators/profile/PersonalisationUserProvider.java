package dev.ludus.simulators.profile;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based personalisation user of RLPA as {@value #NAME}. Stateless and thread-safe; each
 * {@link #create} gives a new user for one episode, which the caller closes.
 *
 * <p>The user holds a gold profile of facts ({@link ProfileTable}); it reveals at most 15% of them per reply and only
 * on a topic the agent's response raises ({@link ConfidantRules}), calls out flattery and repetition, asks to change
 * the topic otherwise ({@link ConfidantReplies}), scores the agent's inferred profile by F1 and publishes the
 * {@link PersonalisationSignals}. The agent must answer in RLPA's {@link ProfileAnswer format}.
 */
public final class PersonalisationUserProvider implements SimulatorProvider<PersonalisationUserConfig> {
  /** The registered name. */
  public static final String NAME = "personalisation-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based RLPA user who reveals a hidden profile a little at a time, only on matching topics";
  }

  @Override
  public Class<PersonalisationUserConfig> configType() {
    return PersonalisationUserConfig.class;
  }

  @Override
  public PersonalisationUserConfig defaultConfig() {
    return PersonalisationUserConfig.defaults();
  }

  @Override
  public UserSimulator create(PersonalisationUserConfig config) {
    return new PersonalisationUser(config);
  }
}
