package dev.ludus.simulators.intent;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based intent user as {@value #NAME}. Stateless and thread-safe; each {@link #create} gives a
 * new user for one episode. The user holds a hidden intent (one value per attribute of the {@link IntentSpec}),
 * reads the questions of the {@link IntentGrammar}, answers truthfully or "I'm not sure about the ..." (a novice,
 * for the attributes it does not know), scores a final specification and publishes the {@link IntentSignals}.
 */
public final class IntentUserProvider implements SimulatorProvider<IntentUserConfig> {
  /** The registered name. */
  public static final String NAME = "intent-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based user with a hidden intent over an attribute specification, expert or novice";
  }

  @Override
  public Class<IntentUserConfig> configType() {
    return IntentUserConfig.class;
  }

  @Override
  public IntentUserConfig defaultConfig() {
    return IntentUserConfig.defaults();
  }

  @Override
  public UserSimulator create(IntentUserConfig config) {
    return new IntentUser(config);
  }
}
