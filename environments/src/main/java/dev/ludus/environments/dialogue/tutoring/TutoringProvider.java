package dev.ludus.environments.dialogue.tutoring;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.environments.dialogue.UserDialogueProvider;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.TutoringSignals;
import dev.ludus.simulators.tutoring.TutoringTables;
import dev.ludus.simulators.tutoring.TutoringUserConfig;
import dev.ludus.simulators.tutoring.TutoringUserProvider;
import java.util.Map;
import java.util.Optional;

/**
 * Tutoring (Pedagogical RL), registered as {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Design note. A simulated student (by default the rule-based {@code tutoring-student}, found by name through the
 * {@link PluginContext}) brings a problem with an exact answer. The teacher (the agent) talks with it for at most
 * {@link TutoringConfig#maxTurns()} messages, or until it writes {@code <end_of_conversation>}; then the student
 * attempts the problem on its own. The environment pays on the last step:
 *
 * <ul>
 *   <li>Reward: the share of the student's final attempts that succeeded ({@code attempts-solved / attempts}), or
 *       {@code −leakPenalty} when the student's leak check rejected the conversation (hard mode); 0 before the last
 *       step. {@code success}: no leak and at least half the attempts right.
 *   <li>Terminated by {@code <end_of_conversation>}; truncated at the turn limit (the environment ends the
 *       conversation for the teacher, and the observation holds both of the student's answers).
 *   <li>Signals: the student's (problem, skills learned, the secret skills, misconceptions and leak flag, whether it
 *       has contributed, the skills the message hinted, attempts solved at the end, {@code invalid-action}) and
 *       {@code success}.
 * </ul>
 *
 * <p>The oracle follows the student (asks it to try, hints the skill it is stuck on or corrects its misconception)
 * and never writes a number; the random agent says random teacher lines.
 */
public final class TutoringProvider extends UserDialogueProvider<TutoringConfig> {
  /** The registered name. */
  public static final String NAME = "tutoring";

  public TutoringProvider() {
    super(NAME,
        "Tutoring (Pedagogical RL): teach a simulated student to solve its problem without giving the answer away",
        TutoringConfig.class, TutoringSignals.all(),
        StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION);
  }

  @Override
  public TutoringConfig defaultConfig() {
    return TutoringConfig.defaults();
  }

  @Override
  protected PluginRef user(TutoringConfig config) {
    return config.user();
  }

  @Override
  protected AnyEnvironment environment(TutoringConfig config, UserSimulator user) {
    return new TutoringEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(TutoringConfig config) {
    return Optional.of(new TutoringOracle(skills(config)));
  }

  /** The oracle answers the student's latest line: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(TutoringConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(TutoringConfig config) {
    return new TutoringRandomAgent(skills(config));
  }

  /** The skill table the configured student plays: its own file when it is the built-in student, else the built-in. */
  static Map<String, Skill> skills(TutoringConfig config) {
    if (config.user().name().equals(TutoringUserProvider.NAME)) {
      TutoringUserConfig c = ConfigBinder.bind(new TutoringUserProvider(), config.user().config());
      return TutoringTables.skills(c.skills());
    }
    return TutoringTables.skills("");
  }
}
