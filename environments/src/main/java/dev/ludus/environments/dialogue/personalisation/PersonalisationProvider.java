package dev.ludus.environments.dialogue.personalisation;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.environments.dialogue.UserDialogueProvider;
import dev.ludus.simulators.profile.PersonalisationSignals;
import java.util.Optional;

/**
 * Personalisation after RLPA, registered as {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Design note. A simulated user ({@code personalisation-user} by default, through the {@link PluginContext}) holds
 * a gold profile of facts drawn from the task seed (or the task's {@code profile} field) and reveals at most 15% of it
 * per reply, only on a topic the agent raises. The agent answers in RLPA's format {@code
 * <profile>…</profile><response>…</response>}. RLPA's two judges become exact rules: the profile's F1 against the gold
 * facts by keyword matching, and a response check (no repetition, no flattery, on topic, not too long).
 *
 * <ul>
 *   <li>Reward per turn: profile F1 + 1 if the response passes the check, in [0, 2]; 0 for a message not in the
 *       format (with {@code invalid-action}).
 *   <li>Ends (terminated) when the profile's F1 reaches 1; truncated after {@link PersonalisationConfig#maxTurns()}.
 *   <li>{@code success}: the last profile's F1 is at least {@link PersonalisationConfig#successF1()}.
 *   <li>Signals: {@link PersonalisationSignals} (facts revealed so far, profile F1, response check, topics raised,
 *       and the secret gold profile) and {@code success}.
 * </ul>
 */
public final class PersonalisationProvider extends UserDialogueProvider<PersonalisationConfig> {
  /** The registered name. */
  public static final String NAME = "personalisation";

  public PersonalisationProvider() {
    super(NAME, "RLPA personalisation: learn a simulated user's hidden profile while chatting, scored by profile F1",
        PersonalisationConfig.class, PersonalisationSignals.all(), StandardSignals.SUCCESS);
  }

  @Override
  public PersonalisationConfig defaultConfig() {
    return PersonalisationConfig.defaults();
  }

  @Override
  protected PluginRef user(PersonalisationConfig config) {
    return config.userRef();
  }

  @Override
  protected AnyEnvironment environment(PersonalisationConfig config, UserSimulator user) {
    return new PersonalisationEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(PersonalisationConfig config) {
    return Optional.of(new PersonalisationOracle(config));
  }

  /** The oracle reads what the user has said from the conversation: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(PersonalisationConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(PersonalisationConfig config) {
    return new PersonalisationRandomAgent(config);
  }
}
