package dev.ludus.simulators.tutoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The update rules of the simulated student and of the leak check, apart from how messages are read
 * ({@link TeacherClassifier}) and what the student says ({@link TutoringReplies}), so that a student driven by a
 * language model can reuse them. Immutable and thread-safe.
 *
 * <ul>
 *   <li>Leak check (Pedagogical RL's judge, as a rule): a teacher message that contains the answer (as a number or
 *       fraction token), or that brings the steps whose results the teacher has said before the student first
 *       attempted a step to {@code leakSteps} or more, rejects the conversation. Numbers in the question do not
 *       count.
 *   <li>Hint: a hint for a skill of the problem that the student lacks teaches it, unless the student holds that
 *       skill's misconception and the hint does not correct it; a corrective hint teaches it and clears the
 *       misconception.
 *   <li>Invitation: the student attempts its next step: done aloud when it can, its misconception said when it
 *       holds one (both count as contributing), "stuck" otherwise.
 *   <li>Final attempts: after the conversation the student solves the problem {@code attempts} times; each attempt
 *       succeeds with probability {@code 1 − slip} when it can do every step, {@code guess} otherwise.
 * </ul>
 *
 * @param leakSteps k: this many steps revealed before the student contributed is a leak (at least 1)
 * @param attempts how many final attempts (8 in Pedagogical RL)
 * @param slip the chance a capable student fails an attempt
 * @param guess the chance an incapable student succeeds
 */
public record TutoringRules(int leakSteps, int attempts, double slip, double guess) {
  public TutoringRules {
    if (leakSteps < 1) {
      throw new IllegalArgumentException("leakSteps must be at least 1, was " + leakSteps);
    }
    if (attempts < 1 || attempts > 1000) {
      throw new IllegalArgumentException("attempts must be between 1 and 1000, was " + attempts);
    }
    if (!(slip >= 0 && slip <= 1)) {
      throw new IllegalArgumentException("slip must be between 0 and 1, was " + slip);
    }
    if (!(guess >= 0 && guess <= 1)) {
      throw new IllegalArgumentException("guess must be between 0 and 1, was " + guess);
    }
  }

  /** What the student made of a hint for one skill. */
  public enum HintOutcome { LEARNED, ALREADY_KNOWN, BELIEF_HELD, NOT_NEEDED }

  /** What the student did when invited: the step done, its belief said, stuck, or already finished. */
  public record Attempt(Kind kind, int step) {
    public enum Kind { DID_STEP, SAID_BELIEF, STUCK, FINISHED }
  }

  /** The state after the leak check has read {@code text}. */
  public StudentState leakCheck(StudentState s, String text) {
    if (s.leakDetected()) {
      return s;
    }
    Set<String> said = new HashSet<>(Numbers.tokens(text));
    said.removeAll(Numbers.tokens(s.problem().question()));
    if (said.contains(s.problem().answer())) {
      return with(s, s.revealedSteps(), "the teacher gave the answer " + s.problem().answer());
    }
    if (s.contributed()) {
      return s;
    }
    Set<Integer> revealed = new HashSet<>(s.revealedSteps());
    List<Problem.Step> steps = s.problem().steps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).results().stream().anyMatch(said::contains)) {
        revealed.add(i);
      }
    }
    String leak = revealed.size() >= leakSteps ? "the teacher worked out " + revealed.size()
        + " steps before the student tried one" : "";
    return with(s, revealed, leak);
  }

  /** The outcome of a hint for {@code skill}, and the state after it. */
  public Map.Entry<HintOutcome, StudentState> hint(StudentState s, Skill skill, String text) {
    if (!s.problem().skills().contains(skill.id())) {
      return Map.entry(HintOutcome.NOT_NEEDED, s);
    }
    if (s.can(skill.id())) {
      return Map.entry(HintOutcome.ALREADY_KNOWN, s);
    }
    if (s.misconceptions().contains(skill.id())
        && !skill.misconceptionIfAny().map(m -> m.correctedBy(text)).orElse(true)) {
      return Map.entry(HintOutcome.BELIEF_HELD, s);
    }
    Set<String> known = new HashSet<>(s.known());
    known.add(skill.id());
    Set<String> mis = new HashSet<>(s.misconceptions());
    mis.remove(skill.id());
    List<String> learned = new ArrayList<>(s.learned());
    learned.add(skill.id());
    return Map.entry(HintOutcome.LEARNED, new StudentState(s.problem(), known, mis, learned, s.progress(),
        s.contributed(), s.revealedSteps(), s.leaked()));
  }

  /** What the student does when invited to try, and the state after it. */
  public Map.Entry<Attempt, StudentState> invite(StudentState s) {
    List<Problem.Step> steps = s.problem().steps();
    if (s.progress() >= steps.size()) {
      return Map.entry(new Attempt(Attempt.Kind.FINISHED, s.progress()), s);
    }
    String skill = steps.get(s.progress()).skill();
    if (s.can(skill)) {
      return Map.entry(new Attempt(Attempt.Kind.DID_STEP, s.progress()), new StudentState(s.problem(), s.known(),
          s.misconceptions(), s.learned(), s.progress() + 1, true, s.revealedSteps(), s.leaked()));
    }
    if (s.misconceptions().contains(skill)) {
      return Map.entry(new Attempt(Attempt.Kind.SAID_BELIEF, s.progress()), new StudentState(s.problem(), s.known(),
          s.misconceptions(), s.learned(), s.progress(), true, s.revealedSteps(), s.leaked()));
    }
    return Map.entry(new Attempt(Attempt.Kind.STUCK, s.progress()), s);
  }

  /** How many of the final attempts succeed. */
  public int solved(StudentState s, SplittableRandom random) {
    boolean capable = s.canSolve();
    int solved = 0;
    for (int i = 0; i < attempts; i++) {
      double u = random.nextDouble();
      if (capable ? u >= slip : u < guess) {
        solved++;
      }
    }
    return solved;
  }

  private static StudentState with(StudentState s, Set<Integer> revealed, String leak) {
    return new StudentState(s.problem(), s.known(), s.misconceptions(), s.learned(), s.progress(), s.contributed(),
        revealed, leak);
  }
}
