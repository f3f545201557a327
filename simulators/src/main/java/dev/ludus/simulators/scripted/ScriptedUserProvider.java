package dev.ludus.simulators.scripted;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the scripted user as {@value #NAME}. Stateless and thread-safe; each {@link #create} gives a new
 * user for one episode, which the caller closes.
 *
 * <p>The user follows the {@link UserScript} in its task's {@value UserScript#FIELD} field: it opens with the
 * first request; a question naming a detail it held back (a message with {@code ?} containing one of the
 * detail's keywords) gets the detail, as the tau-bench and tau2 users disclose what they know only when asked;
 * any other message ends the turn, and the user makes the next request or, after the last one, says goodbye and
 * ends the conversation. It publishes the {@link ScriptedUserSignals}. The {@code function-calling} environment
 * gets it by name through its plugin context, so a configuration can swap it for another user (one driven by a
 * language model, say) that reads the same script.
 */
public final class ScriptedUserProvider implements SimulatorProvider<ScriptedUserConfig> {
  /** The registered name. */
  public static final String NAME = "scripted-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A scripted user: makes a script's requests turn by turn and gives held-back details when asked";
  }

  @Override
  public Class<ScriptedUserConfig> configType() {
    return ScriptedUserConfig.class;
  }

  @Override
  public ScriptedUserConfig defaultConfig() {
    return ScriptedUserConfig.defaults();
  }

  @Override
  public UserSimulator create(ScriptedUserConfig config) {
    return new ScriptedUser(config);
  }
}
