package dev.ludus.simulators.tutoring;

import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How a simulated student is drawn for a task: its problem (a problem file's, by the task's {@code problem} field or
 * the task seed, else generated from the task seed) and its starting skills and misconceptions (from the task seed).
 * The rule-based student and its LLM-driven twin share it, so both hold the same hidden state for the same task.
 * Stateless and thread-safe.
 */
public final class StudentDraw {
  private StudentDraw() {}

  /**
   * The student at the start of {@code task}, as {@code config} says, with skills from {@code skills} and problems
   * from {@code problems} (null to generate them).
   *
   * @throws IllegalArgumentException when the task names a problem the problem file does not have
   */
  public static StudentState draw(TutoringUserConfig config, Map<String, Skill> skills, List<Problem> problems,
      Task task) {
    Problem problem;
    if (problems != null) {
      String wanted = task.fields().get("problem");
      problem = wanted == null ? problems.get(new SplittableRandom(task.seed()).nextInt(problems.size()))
          : problems.stream().filter(p -> p.id().equals(wanted)).findFirst().orElse(null);
      if (problem == null) {
        throw new IllegalArgumentException("task " + task.id() + ": problem '" + wanted + "' is not in "
            + config.problems());
      }
    } else {
      problem = ProblemGenerator.generate(config.kindList(), task.seed());
    }
    SplittableRandom r = new SplittableRandom(Seeds.mix(task.seed(), 0x570de7L));
    List<String> needed = new ArrayList<>(problem.skills());
    Set<String> known = new HashSet<>();
    for (String s : needed) {
      if (r.nextDouble() < config.knownRate()) {
        known.add(s);
      }
    }
    if (known.size() == needed.size()) {
      known.remove(needed.get(r.nextInt(needed.size())));
    }
    Set<String> mis = new HashSet<>();
    for (String s : needed) {
      if (!known.contains(s) && skills.get(s).misconception() != null && r.nextDouble() < config.misconceptionRate()) {
        mis.add(s);
      }
    }
    return StudentState.start(problem, known, mis);
  }

  /** The noise of the final attempts for an episode seeded {@code seed}. */
  public static SplittableRandom noise(long seed) {
    return new SplittableRandom(Seeds.mix(seed, 0xa77e6D75L));
  }
}
