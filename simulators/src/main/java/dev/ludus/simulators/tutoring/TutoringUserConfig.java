package dev.ludus.simulators.tutoring;

import java.util.List;
import java.util.Map;

/**
 * How the simulated student plays. Immutable; validated on construction, naming the bad field.
 *
 * @param kinds the generated problem kinds ({@code linear-equation}, {@code fraction-addition},
 *     {@code percent-discount}, {@code speed-distance}); empty (the default) for all
 * @param knownRate the chance the student starts with each skill of its problem (it always lacks at least one);
 *     default 0.5
 * @param misconceptionRate the chance it holds the misconception of each skill it lacks (when the table gives one);
 *     default 0.5
 * @param leakSteps k of the leak check; default 2
 * @param attempts the final attempts; default 8 (Pedagogical RL)
 * @param slip the chance a capable student fails an attempt; default 0.1
 * @param guess the chance a student who cannot do every step succeeds anyway; default 0.05
 * @param skills a JSON file of skills in the {@link Skill} schema replacing the built-in table; empty for it
 * @param problems a JSON file of problems in the {@link Problem} schema played instead of generated ones (the task
 *     seed picks one); empty (the default) to generate
 */
public record TutoringUserConfig(List<String> kinds, double knownRate, double misconceptionRate, int leakSteps,
    int attempts, double slip, double guess, String skills, String problems) {
  public TutoringUserConfig {
    kinds = kinds == null ? List.of() : List.copyOf(kinds);
    kinds.forEach(ProblemGenerator.Kind::fromWire);
    if (!(knownRate >= 0 && knownRate <= 1)) {
      throw new IllegalArgumentException("knownRate must be between 0 and 1, was " + knownRate);
    }
    if (!(misconceptionRate >= 0 && misconceptionRate <= 1)) {
      throw new IllegalArgumentException("misconceptionRate must be between 0 and 1, was " + misconceptionRate);
    }
    new TutoringRules(leakSteps, attempts, slip, guess);
    skills = skills == null ? "" : skills.trim();
    problems = problems == null ? "" : problems.trim();
    Map<String, Skill> table;
    try {
      table = TutoringTables.skills(skills);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("skills: " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      try {
        TutoringTables.problems(problems, table);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("problems: " + e.getMessage(), e);
      }
    } else {
      for (String k : List.of("inverse-operation", "divide-both-sides", "common-denominator", "equivalent-fractions",
          "add-numerators", "percent-to-decimal", "percent-of-amount", "subtract-discount", "minutes-to-hours",
          "rate-times-time")) {
        if (!table.containsKey(k)) {
          throw new IllegalArgumentException("skills: the generated problems need skill '" + k + "', which the table "
              + "does not have; give a problems file too, or add it");
        }
      }
    }
  }

  /** All kinds, half the skills known, misconceptions half the time, k = 2, 8 attempts, 10% slips, 5% guesses. */
  public static TutoringUserConfig defaults() {
    return new TutoringUserConfig(List.of(), 0.5, 0.5, 2, 8, 0.1, 0.05, "", "");
  }

  public TutoringRules rules() {
    return new TutoringRules(leakSteps, attempts, slip, guess);
  }

  public List<ProblemGenerator.Kind> kindList() {
    return kinds.stream().map(ProblemGenerator.Kind::fromWire).toList();
  }
}
