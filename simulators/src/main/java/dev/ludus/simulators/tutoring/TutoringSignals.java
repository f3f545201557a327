package dev.ludus.simulators.tutoring;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;

/**
 * The signals the simulated student publishes. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link #PROBLEM}: the problem's id (always);
 *   <li>{@link #SKILLS_LEARNED}: the skills hints have taught so far (always);
 *   <li>{@link #STUDENT_SKILLS}, {@link #MISCONCEPTIONS} (secret): what the student knows and wrongly believes now;
 *   <li>{@link #LEAK} (secret): whether the leak check has rejected the conversation (always);
 *   <li>{@link #CONTRIBUTED}: whether the student has attempted a step (always);
 *   <li>{@link #HINTED}: the skills the last message hinted (after each message);
 *   <li>{@link #ATTEMPTS_SOLVED} and {@link #ATTEMPTS}: the final attempts that succeeded, and how many were made
 *       (when the conversation ends);
 *   <li>{@link StandardSignals#INVALID_ACTION}: why the last message could not be read.
 * </ul>
 */
public final class TutoringSignals {
  private TutoringSignals() {}

  public static final SignalKey<String> PROBLEM = SignalKey.of("problem", String.class);
  public static final SignalKey<List<String>> SKILLS_LEARNED = SignalKey.listOf("skills-learned", String.class);
  public static final SignalKey<List<String>> STUDENT_SKILLS = secretList("student-skills");
  public static final SignalKey<List<String>> MISCONCEPTIONS = secretList("misconceptions");
  public static final SignalKey<Boolean> LEAK = SignalKey.secret("leak-detected", Boolean.class);
  public static final SignalKey<Boolean> CONTRIBUTED = SignalKey.of("student-contributed", Boolean.class);
  public static final SignalKey<List<String>> HINTED = SignalKey.listOf("hinted-skills", String.class);
  public static final SignalKey<Integer> ATTEMPTS_SOLVED = SignalKey.of("attempts-solved", Integer.class);
  public static final SignalKey<Integer> ATTEMPTS = SignalKey.of("attempts", Integer.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SignalKey<List<String>> secretList(String name) {
    return new SignalKey<>(name, (Class) List.class, true, String.class);
  }

  /** Every key the student may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(PROBLEM, SKILLS_LEARNED, STUDENT_SKILLS, MISCONCEPTIONS, LEAK, CONTRIBUTED, HINTED, ATTEMPTS_SOLVED,
        ATTEMPTS, StandardSignals.INVALID_ACTION);
  }
}
