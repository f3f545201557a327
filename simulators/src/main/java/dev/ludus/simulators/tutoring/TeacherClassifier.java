package dev.ludus.simulators.tutoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a teacher's message for the simulated student. Stateless and thread-safe.
 *
 * <p>What it understands: hints, by the skill table's patterns (English phrases such as "subtract ... from both
 * sides", "common denominator", "convert minutes to hours"); invitations to try, a question mark at the end or
 * phrases like "try", "your turn", "what would you do", "next step", "can you"; and {@code <end_of_conversation>}.
 * Numbers in the text are read by the leak check ({@link TutoringRules}). What it does not: whether a hint is
 * correct (a pattern match is a hint), negation ("don't subtract from both sides" still hints the skill), answers
 * written in words ("four"), other languages (a message with no English word, no digit and no end tag is unreadable; digits alone are read, for
 * the leak check).
 */
public final class TeacherClassifier {
  /** The end tag of Pedagogical RL's teacher. */
  public static final String END = "<end_of_conversation>";

  /**
   * A teacher message as read.
   *
   * @param hinted ids of skills the message hints, in table order
   * @param invites whether it asks the student to try a step
   * @param ends whether it ends the conversation
   * @param unreadable why it could not be read; empty when it could
   */
  public record Reading(List<String> hinted, boolean invites, boolean ends, Optional<String> unreadable) {
    public Reading {
      hinted = List.copyOf(hinted);
    }
  }

  private static final Pattern ENGLISH_WORD = Pattern.compile("\\b[a-z]{2,}\\b|\\d");
  private static final Pattern INVITE = Pattern.compile("\\?\\s*$|\\b(try|your turn|what would you|what do you"
      + "|how would you|can you|could you|next step|go ahead|show me|what comes next|what's next|have a go)\\b");

  private TeacherClassifier() {}

  public static Reading read(String text, Map<String, Skill> skills) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').trim();
    boolean ends = t.contains(END);
    String body = t.replace(END, " ").trim();
    if (!ends && !ENGLISH_WORD.matcher(body).find()) {
      return new Reading(List.of(), false, false, Optional.of(body.isEmpty()
          ? "the message is empty" : "the message has no English words; the student reads English only"));
    }
    List<String> hinted = new ArrayList<>();
    for (Skill s : skills.values()) {
      if (s.hintedBy(body)) {
        hinted.add(s.id());
      }
    }
    return new Reading(hinted, !ends && INVITE.matcher(body).find(), ends, Optional.empty());
  }
}
