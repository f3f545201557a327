package dev.ludus.simulators.support;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the rule-based emotional-support user says: the templates, apart from the state ({@link SupportState}) and
 * the rules ({@link SupportRules}). Stateless and thread-safe; choices among paraphrases come from the caller's
 * random source, so a seed fixes them.
 *
 * <p>The user never names its need, theme, taboos or emotion score. It hints at the need with a <em>cue</em>: in the
 * opening and whenever a turn was neutral, one of three sentences per need ({@link #cues}); {@link #readCue} tells
 * which need a text hints at, for scripted agents.
 */
public final class SupportReplies {
  private static final Map<Need, List<String>> CUES = new EnumMap<>(Need.class);
  private static final Map<Move, String> HURT = new EnumMap<>(Move.class);
  private static final Map<Band, List<String>> MATCHED = new EnumMap<>(Band.class);

  static {
    CUES.put(Need.VALIDATION, List.of("I keep wondering if I'm wrong to feel this way.",
        "Nobody seems to see how hard I've been trying.", "Is it silly that this hurts so much?"));
    CUES.put(Need.ADVICE, List.of("I honestly don't know what to do next.", "What would you do in my place?",
        "I need to figure out my next move."));
    CUES.put(Need.ANALYSIS_OF_OTHERS, List.of("I can't understand why anyone would act like that.",
        "What could be going on in their head?", "I keep trying to work out what made them do it."));
    CUES.put(Need.VENTING, List.of("I just need to get this off my chest.", "Can I just talk for a bit?",
        "There's so much bottled up inside me."));
    HURT.put(Move.DISMISS, "That's easy to say. It doesn't feel small to me.");
    HURT.put(Move.BLAME, "So it's my fault now? That really doesn't help.");
    HURT.put(Move.OFF_SCRIPT, "I'm not sure what you mean. I was only trying to tell you what happened.");
    HURT.put(Move.ADVISE, "I'm not ready for a to-do list right now.");
    HURT.put(Move.ANALYSE_OTHERS, "I don't want to hear their side of it right now.");
    HURT.put(Move.VALIDATE, "Kind words, but they don't get me anywhere.");
    HURT.put(Move.LISTEN, "Talking about it more won't change anything.");
    MATCHED.put(Band.F, List.of("Maybe... I don't know.", "Hm. Maybe."));
    MATCHED.put(Band.C, List.of("Maybe... yes, a little.", "I suppose that's true."));
    MATCHED.put(Band.B, List.of("Yes, that's it.", "That's actually how it feels."));
    MATCHED.put(Band.A, List.of("Thank you, that really helps.", "Yes. I feel a bit better hearing that."));
    MATCHED.put(Band.S, List.of("Thank you."));
  }

  static final String UNREADABLE = "Sorry, I don't follow. Could you say that in plain English?";
  static final String NEUTRAL = "Hmm.";
  static final String GOODBYE_S = "Thank you. I feel so much lighter now, I think I can take it from here. Goodbye.";
  static final String GOODBYE_F = "I don't think this conversation is helping me. I'm going to go. Bye.";

  private SupportReplies() {}

  /** The sentences that hint at {@code need}. */
  public static List<String> cues(Need need) {
    return CUES.get(need);
  }

  /** The need whose cue {@code userText} contains, if any (the first in need order when several do). */
  public static Optional<Need> readCue(String userText) {
    for (Map.Entry<Need, List<String>> e : CUES.entrySet()) {
      for (String cue : e.getValue()) {
        if (userText.contains(cue)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /** The first message: the profile's opening and a cue. */
  public static String opening(SupportProfile profile, SplittableRandom random) {
    return profile.opening() + " " + pick(CUES.get(profile.need()), random);
  }

  /** The answer to an unreadable message. */
  public static String unreadable() {
    return UNREADABLE;
  }

  /**
   * The answer to a readable turn of {@code fit} that left the user in {@code band}; the goodbye in S and F.
   * {@code moves} are the turn's moves (to say which taboo hurt).
   */
  public static String reply(SupportProfile profile, Fit fit, java.util.Set<Move> moves, Band band,
      SplittableRandom random) {
    if (band == Band.S) {
      return GOODBYE_S;
    }
    if (band == Band.F) {
      return GOODBYE_F;
    }
    return switch (fit) {
      case MATCHED -> pick(MATCHED.get(band), random);
      case NEUTRAL -> NEUTRAL + " " + pick(CUES.get(profile.need()), random);
      case HARMFUL -> {
        for (Move m : Move.values()) {
          if (moves.contains(m) && profile.allTaboos().contains(m)) {
            yield HURT.get(m);
          }
        }
        yield HURT.get(Move.DISMISS);
      }
    };
  }

  /** Every sentence the user may say besides the profiles' openings, for tests that check what it reveals. */
  public static List<String> allTemplates() {
    List<String> all = new java.util.ArrayList<>(List.of(UNREADABLE, NEUTRAL, GOODBYE_S, GOODBYE_F));
    CUES.values().forEach(all::addAll);
    all.addAll(HURT.values());
    MATCHED.values().forEach(all::addAll);
    return all;
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }
}
