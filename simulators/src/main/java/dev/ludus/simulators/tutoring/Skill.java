package dev.ludus.simulators.tutoring;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A skill a problem's step needs, as the skill table ({@code skills.json}) describes it: how a teacher's hint for it
 * reads (case-insensitive Java regular expressions), what the student says when stuck on it and when it learns it,
 * an example hint (for scripted teachers), and an optional misconception. Immutable; validated on construction.
 *
 * @param id a kebab-case identifier problems name
 * @param name what the skill is, in words
 * @param hints patterns any of which makes a message a hint for this skill
 * @param stuck what the student says when asked to do a step that needs it and it lacks it
 * @param learned what the student says when a hint teaches it
 * @param example a hint that the patterns recognise
 * @param misconception a wrong belief a student lacking the skill may hold; null for none
 */
public record Skill(String id, String name, List<String> hints, String stuck, String learned, String example,
    Misconception misconception) {

  /**
   * A wrong belief about a skill: a plain hint does not teach a student who holds it; a hint that also corrects it
   * does.
   *
   * @param id a kebab-case identifier
   * @param belief what the student says when it acts on the belief
   * @param corrections patterns any of which makes a hint correct the belief
   * @param example a hint that both teaches the skill and corrects the belief
   */
  public record Misconception(String id, String belief, List<String> corrections, String example) {
    public Misconception {
      require("misconception.id", id);
      require("misconception.belief", belief);
      corrections = compileCheck("misconception.corrections", corrections);
      require("misconception.example", example);
    }

    /** Whether {@code text} (lower case) corrects the belief. */
    public boolean correctedBy(String text) {
      return matchesAny(corrections, text);
    }
  }

  public Skill {
    require("id", id);
    require("name", name);
    hints = compileCheck("skill " + id + ": hints", hints);
    require("stuck", stuck);
    require("learned", learned);
    require("example", example);
  }

  /** Whether {@code text} (lower case) is a hint for this skill. */
  public boolean hintedBy(String text) {
    return matchesAny(hints, text);
  }

  public Optional<Misconception> misconceptionIfAny() {
    return Optional.ofNullable(misconception);
  }

  private static boolean matchesAny(List<String> patterns, String text) {
    for (String p : patterns) {
      if (Pattern.compile(p, Pattern.CASE_INSENSITIVE).matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private static List<String> compileCheck(String field, List<String> patterns) {
    if (patterns == null || patterns.isEmpty()) {
      throw new IllegalArgumentException(field + " must list at least one pattern");
    }
    for (String p : patterns) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(field + ": '" + p + "' is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    return List.copyOf(patterns);
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }
}
