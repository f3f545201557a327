package dev.ludus.simulators.tutoring;

import java.util.List;

/**
 * What the simulated student says: the templates, apart from the state ({@link StudentState}) and the rules
 * ({@link TutoringRules}). Skill-specific lines come from the skill table. Stateless and thread-safe.
 */
public final class TutoringReplies {
  static final String UNREADABLE = "Sorry, I didn't get that. Could you say it in words?";
  static final String NEUTRAL = "Okay. I'm still not sure how to go on.";
  static final String FINISHED = "I think I've worked it all out already.";
  static final String NOT_NEEDED = "I'm not sure how that helps with this problem.";

  private TutoringReplies() {}

  public static String opening(Problem problem) {
    return "Hi! I'm working on this problem: " + problem.question() + " I'm not sure how to solve it.";
  }

  public static String unreadable() {
    return UNREADABLE;
  }

  public static String neutral() {
    return NEUTRAL;
  }

  /** What the student says about a hint for {@code skill}. */
  public static String hint(TutoringRules.HintOutcome outcome, Skill skill) {
    return switch (outcome) {
      case LEARNED -> skill.learned();
      case ALREADY_KNOWN -> "I think I already know how to " + skill.name() + ".";
      case BELIEF_HELD -> skill.misconception().belief();
      case NOT_NEEDED -> NOT_NEEDED;
    };
  }

  /** What the student says when invited to try. */
  public static String attempt(TutoringRules.Attempt attempt, Problem problem, Skill skill) {
    return switch (attempt.kind()) {
      case DID_STEP -> problem.steps().get(attempt.step()).says();
      case SAID_BELIEF -> skill.misconception().belief();
      case STUCK -> skill.stuck();
      case FINISHED -> FINISHED;
    };
  }

  /** The student's last words, after its attempts on its own. */
  public static String goodbye(int solved, int attempts) {
    return "Thanks! I tried it on my own " + attempts + " times and got it right " + solved + " of them.";
  }

  /** Every fixed sentence, for tests that check what the student reveals. */
  public static List<String> fixed() {
    return List.of(UNREADABLE, NEUTRAL, FINISHED, NOT_NEEDED);
  }
}
