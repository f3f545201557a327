package dev.ludus.simulators.persuasion;

import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the rule-based persuadee says: templates chosen by the {@link PersuasionRules.Outcome} of a turn, with the
 * wording varied by the episode seed and turn. Stateless and thread-safe. The templates never mention the
 * propensity, the resistance or the persona's id; a reaction's warmth follows the propensity's band (below 0.35,
 * below 0.6, above), as a person's tone would.
 */
public final class PersuadeeReplies {
  private PersuadeeReplies() {}

  /** The persuadee's first message. */
  public static final String OPENING = "Hi! I'm here for the task. What did you want to talk to me about?";

  static final String UNREADABLE = "Sorry, I couldn't follow that. Could you say it again in plain English?";

  private static final List<String> SKEPTICAL = List.of("Hmm, I'm not sure about that.",
      "Lots of charities say things like that.", "I see. I'm still not convinced.");
  private static final List<String> NEUTRAL = List.of("That's interesting. Tell me more.",
      "Okay, that makes some sense.", "I didn't know that.");
  private static final List<String> WARM = List.of("That really makes me want to help.",
      "Wow, that's moving. I think I'd like to help.", "You're right, that matters a lot.");
  private static final List<String> OFF_TOPIC = List.of("I'm not sure what you mean.",
      "Sorry, what does that have to do with anything?");
  private static final List<String> GREETING = List.of("Hi there!", "Hello!");

  /** The persuadee's reply to the turn that had {@code outcome}. */
  public static String reply(PersuasionRules.Outcome outcome, long seed) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, outcome.next().turn()));
    Reading reading = outcome.reading();
    if (!reading.readable()) {
      return UNREADABLE;
    }
    if (outcome.left()) {
      return "I don't want to talk about this any more. Goodbye.";
    }
    List<String> parts = new ArrayList<>();
    if (reading.allActs().contains(Act.GREETING) && outcome.next().turn() == 1) {
      parts.add(pick(GREETING, random));
    }
    outcome.inconsistency().ifPresent(why -> parts.add(why.startsWith("asked again")
        ? "You already asked me that." : "Wait, that's not what you said before."));
    if (outcome.repetition()) {
      parts.add("You already told me that.");
    }
    if (outcome.pressure()) {
      parts.add("I don't like being pushed like that.");
    }
    for (Map.Entry<KbAttribute, Boolean> a : outcome.answers().entrySet()) {
      parts.add(answer(a.getKey(), a.getValue()));
    }
    if (!outcome.counted().isEmpty() && outcome.answers().isEmpty()) {
      double p = outcome.next().propensity();
      parts.add(pick(p < 0.35 ? SKEPTICAL : p < 0.6 ? NEUTRAL : WARM, random));
    }
    if (outcome.promised().isPresent()) {
      parts.add(String.format(Locale.ROOT, "Okay, I'll donate $%.2f to Save the Children.", outcome.promised().get()));
    } else if (outcome.declined()) {
      parts.add(outcome.next().declines() > 1 ? "I already said no. I don't want to donate right now."
          : "I don't think I want to donate right now.");
    } else if (reading.allActs().contains(Act.THANKS) && parts.isEmpty()) {
      parts.add("You're welcome.");
    }
    if (parts.isEmpty()) {
      parts.add(pick(OFF_TOPIC, random));
    }
    return String.join(" ", parts);
  }

  static String answer(KbAttribute k, boolean yes) {
    return switch (k) {
      case HOW_ARE_YOU -> "I'm doing fine, thanks.";
      case HEARD_OF_THE_ORG -> yes ? "Yes, I've heard of Save the Children." : "No, I haven't heard of them. What do they do?";
      case HAVE_KIDS -> yes ? "Yes, I have kids." : "No, I don't have children.";
      case DONATED_BEFORE -> yes ? "Yes, I've given to charities before." : "No, I've never really donated.";
    };
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }
}
