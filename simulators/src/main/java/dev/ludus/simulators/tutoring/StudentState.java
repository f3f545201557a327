package dev.ludus.simulators.tutoring;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulated student's hidden state during one conversation. Immutable and thread-safe; each turn makes a new
 * one.
 *
 * @param problem the problem being discussed
 * @param known the skills the student has now
 * @param misconceptions the skills on which the student holds its misconception now (ids of skills)
 * @param learned the skills a hint taught during the conversation
 * @param progress how many steps of the solution the student has done aloud
 * @param contributed whether the student has attempted a step yet (the leak check's "before the student has
 *     contributed")
 * @param revealedSteps indices of steps whose results the teacher said before the student contributed
 * @param leaked why the leak check rejected the conversation; empty while it has not
 */
public record StudentState(Problem problem, Set<String> known, Set<String> misconceptions, List<String> learned,
    int progress, boolean contributed, Set<Integer> revealedSteps, String leaked) {
  public StudentState {
    Objects.requireNonNull(problem, "problem");
    known = Set.copyOf(new TreeSet<>(known));
    misconceptions = Set.copyOf(new TreeSet<>(misconceptions));
    learned = List.copyOf(learned);
    revealedSteps = Set.copyOf(revealedSteps);
    leaked = leaked == null ? "" : leaked;
  }

  /** A student at the start: {@code known} skills and {@code misconceptions}, nothing said yet. */
  public static StudentState start(Problem problem, Set<String> known, Set<String> misconceptions) {
    return new StudentState(problem, known, misconceptions, List.of(), 0, false, Set.of(), "");
  }

  /** Whether the leak check has rejected the conversation. */
  public boolean leakDetected() {
    return !leaked.isEmpty();
  }

  /** Whether the student can do the step needing {@code skill} right. */
  public boolean can(String skill) {
    return known.contains(skill) && !misconceptions.contains(skill);
  }

  /** Whether the student can do every step of the problem right. */
  public boolean canSolve() {
    return problem.skills().stream().allMatch(this::can);
  }

  /** Sorted, for signals. */
  public List<String> knownSorted() {
    return List.copyOf(new TreeSet<>(known));
  }

  public List<String> misconceptionsSorted() {
    return List.copyOf(new TreeSet<>(misconceptions));
  }
}
