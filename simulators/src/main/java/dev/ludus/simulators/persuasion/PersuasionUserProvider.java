package dev.ludus.simulators.persuasion;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based persuadee of PersuasionForGood as {@value #NAME}. Stateless and thread-safe; each
 * {@link #create} gives a new user for one episode, which the caller closes.
 *
 * <p>The persuadee has a persona in P4G's trait schema and a hidden propensity to donate and resistance
 * ({@link PersuasionRules}); it reads the persuader's strategies ({@link PersuasionReader}, which documents what it
 * understands and what not), answers with {@link PersuadeeReplies}, promises a donation of up to $2 when asked and
 * willing (which ends the conversation), leaves when pushed too far, and publishes the {@link PersuasionSignals}.
 */
public final class PersuasionUserProvider implements SimulatorProvider<PersuasionUserConfig> {
  /** The registered name. */
  public static final String NAME = "persuasion-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based PersuasionForGood persuadee with a P4G persona and a hidden propensity to donate";
  }

  @Override
  public Class<PersuasionUserConfig> configType() {
    return PersuasionUserConfig.class;
  }

  @Override
  public PersuasionUserConfig defaultConfig() {
    return PersuasionUserConfig.defaults();
  }

  @Override
  public UserSimulator create(PersuasionUserConfig config) {
    return new PersuasionUser(config);
  }
}
