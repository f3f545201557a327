package dev.ludus.environments.dialogue.support;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.environments.dialogue.UserDialogueProvider;
import dev.ludus.simulators.support.SupportSignals;
import java.util.Optional;

/**
 * Emotional support (RLVER, SAGE), registered as {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Design note. A simulated user shares a problem; it holds a profile (persona, scene, hidden theme, hidden need,
 * taboo moves) and an emotion score. The user is a registered simulator that the configuration names
 * ({@link EmotionalSupportConfig#user()}, by default the rule-based {@code emotional-support-user}) and the
 * {@link PluginContext} creates, so a configuration can swap it. The environment only counts turns and pays:
 *
 * <ul>
 *   <li>Reward: {@code max(emotion / 100, 0)} on the last step (RLVER's reward at the last token), 0 before.
 *   <li>Terminated when the user says goodbye (band S at 100, or F below 10) or the emotion reaches 0;
 *       {@code success} is whether the emotion reached 100.
 *   <li>Truncated after {@link EmotionalSupportConfig#maxTurns()} messages (8, as RLVER trains).
 *   <li>Signals: the user's (the {@code emotion} score at reset and after every step, which {@code emotion-delta}
 *       reads; the secret band, need, theme and taboos; the profile id; how the turn fit and the moves read;
 *       {@code invalid-action} for an unreadable message) and {@code success} on the last step.
 * </ul>
 *
 * <p>The oracle reads the need from the user's cues and meets it every turn (from 30: 50, 65, 80, 90, 100 in five
 * turns); the random agent says one of its lines at random.
 */
public final class EmotionalSupportProvider extends UserDialogueProvider<EmotionalSupportConfig> {
  /** The registered name. */
  public static final String NAME = "emotional-support";

  public EmotionalSupportProvider() {
    super(NAME, "Emotional support (RLVER/SAGE): lift a simulated user's emotion by meeting a need they do not name",
        EmotionalSupportConfig.class, SupportSignals.all(),
        StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION);
  }

  @Override
  public EmotionalSupportConfig defaultConfig() {
    return EmotionalSupportConfig.defaults();
  }

  @Override
  protected PluginRef user(EmotionalSupportConfig config) {
    return config.user();
  }

  @Override
  protected AnyEnvironment environment(EmotionalSupportConfig config, UserSimulator user) {
    return new EmotionalSupportEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(EmotionalSupportConfig config) {
    return Optional.of(new SupportOracle());
  }

  /** The oracle reads the user's need from the conversation's cues and counts the messages said: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(EmotionalSupportConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(EmotionalSupportConfig config) {
    return new SupportRandomAgent();
  }
}
