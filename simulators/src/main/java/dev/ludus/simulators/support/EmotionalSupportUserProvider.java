package dev.ludus.simulators.support;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based emotional-support user (RLVER, SAGE) as {@value #NAME}. Stateless and thread-safe; each
 * {@link #create} gives a new user for one episode, which the caller closes.
 *
 * <p>The user plays a profile of its table (persona, scene with a hidden theme, hidden need, taboo moves), starts
 * at the configured emotion, reads every message into moves ({@link SupportClassifier}), scores the turn against
 * its need and moves its emotion by RLVER's transition table ({@link SupportRules}), answers from templates
 * ({@link SupportReplies}) and says goodbye, ending the conversation, in band S (100) or F (below 10). An empty
 * message, or one without English words, is answered "Sorry, I don't follow..." with {@code invalid-action} and
 * leaves the emotion as it was. It publishes {@link SupportSignals}.
 */
public final class EmotionalSupportUserProvider implements SimulatorProvider<EmotionalSupportUserConfig> {
  /** The registered name. */
  public static final String NAME = "emotional-support-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based user with a hidden need and an emotion score (RLVER/SAGE) who reacts to how well each "
        + "message meets the need";
  }

  @Override
  public Class<EmotionalSupportUserConfig> configType() {
    return EmotionalSupportUserConfig.class;
  }

  @Override
  public EmotionalSupportUserConfig defaultConfig() {
    return EmotionalSupportUserConfig.defaults();
  }

  @Override
  public UserSimulator create(EmotionalSupportUserConfig config) {
    return new EmotionalSupportUser(config);
  }
}
