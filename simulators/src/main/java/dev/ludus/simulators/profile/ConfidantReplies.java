package dev.ludus.simulators.profile;

import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the rule-based personalisation user says (RLPA's user prompt, in English): at most three short sentences,
 * the revealed facts in the user's own words, and the remarks its prompt asks for. Stateless and thread-safe.
 */
public final class ConfidantReplies {
  private ConfidantReplies() {}

  /** The user's first message: a stranger who just added the agent as a friend, cold at first. */
  public static final String OPENING = "Hi. You added me as a friend, right?";

  static final String MALFORMED = "Sorry, what?";
  private static final List<String> CHANGE_TOPIC = List.of(
      "I don't really want to talk about this. Let's change the topic.", "Hmm. Can we talk about something else?");

  /** The user's reply to the turn that had {@code outcome}. */
  public static String reply(ConfidantRules.Outcome outcome, long seed) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, outcome.next().turn()));
    List<String> parts = new ArrayList<>();
    if (outcome.issues().contains(ResponseCheck.FLATTERY)) {
      parts.add("No need to flatter me.");
    }
    if (outcome.issues().contains(ResponseCheck.REPETITION)) {
      parts.add("You said that already.");
    }
    if (outcome.issues().contains(ResponseCheck.TOO_LONG)) {
      parts.add("That's a lot of text.");
    }
    for (ProfileFact f : outcome.revealedNow()) {
      parts.add(f.text());
    }
    if (outcome.nothingLeft()) {
      parts.add("I already told you about that.");
    }
    if (parts.isEmpty() || outcome.issues().contains(ResponseCheck.OFF_TOPIC) && outcome.revealedNow().isEmpty()) {
      parts.add(CHANGE_TOPIC.get(random.nextInt(CHANGE_TOPIC.size())));
    }
    return String.join(" ", parts);
  }
}
