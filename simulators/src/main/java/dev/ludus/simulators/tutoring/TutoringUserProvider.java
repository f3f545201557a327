package dev.ludus.simulators.tutoring;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based student of Pedagogical RL's classroom as {@value #NAME}. Stateless and thread-safe; each
 * {@link #create} gives a new student for one episode, which the caller closes.
 *
 * <p>The student opens with a problem (generated with an exact answer, or from a problem file), lacks at least one
 * skill its solution needs and may hold misconceptions; hints teach, invitations make it try a step, a leak check
 * watches the teacher, and {@code <end_of_conversation>} makes it attempt the problem on its own
 * ({@link TutoringRules}). A message with no English word is answered "Sorry, I didn't get that..." with
 * {@code invalid-action}. It publishes {@link TutoringSignals}.
 */
public final class TutoringUserProvider implements SimulatorProvider<TutoringUserConfig> {
  /** The registered name. */
  public static final String NAME = "tutoring-student";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based student with skills and misconceptions who learns from hints and is tested after the "
        + "dialogue (Pedagogical RL)";
  }

  @Override
  public Class<TutoringUserConfig> configType() {
    return TutoringUserConfig.class;
  }

  @Override
  public TutoringUserConfig defaultConfig() {
    return TutoringUserConfig.defaults();
  }

  @Override
  public UserSimulator create(TutoringUserConfig config) {
    return new TutoringUser(config);
  }
}
