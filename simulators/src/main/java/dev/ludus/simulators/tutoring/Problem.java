package dev.ludus.simulators.tutoring;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A problem with its exact answer and its worked solution, step by step. Immutable; validated on construction.
 * Generated ({@link ProblemGenerator}) or read from a file in this schema.
 *
 * @param id a unique identifier
 * @param question the problem as the student states it
 * @param answer the exact answer, a number or a fraction such as {@code 11/12}
 * @param steps the solution, in order; the last step's result is the answer
 */
public record Problem(String id, String question, String answer, List<Step> steps) {

  /**
   * One step of the solution.
   *
   * @param skill the id of the skill the step needs
   * @param results the numbers or fractions the step produces (what a teacher would leak by saying them)
   * @param says how the student states the step when it does it
   */
  public record Step(String skill, List<String> results, String says) {
    public Step {
      if (skill == null || skill.isBlank()) {
        throw new IllegalArgumentException("step.skill must not be empty");
      }
      results = results == null ? List.of() : results.stream().map(Numbers::normalise).toList();
      if (says == null || says.isBlank()) {
        throw new IllegalArgumentException("step.says must not be empty");
      }
    }
  }

  public Problem {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("problem id must not be empty");
    }
    if (question == null || question.isBlank()) {
      throw new IllegalArgumentException("problem " + id + ": question must not be empty");
    }
    if (answer == null || Numbers.tokens(answer).size() != 1) {
      throw new IllegalArgumentException("problem " + id + ": answer must be one number or fraction, was " + answer);
    }
    answer = Numbers.normalise(answer);
    steps = steps == null ? List.of() : List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("problem " + id + ": steps must not be empty");
    }
    if (Numbers.tokens(question).contains(answer)) {
      throw new IllegalArgumentException("problem " + id + ": the answer " + answer + " appears in the question, so "
          + "the leak check could not tell it apart");
    }
  }

  /** The skills the solution needs, in step order. */
  public Set<String> skills() {
    Set<String> s = new LinkedHashSet<>();
    steps.forEach(st -> s.add(st.skill()));
    return s;
  }
}
