package dev.ludus.simulators.support;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an agent's message into the {@link Move}s it makes, with English lexicons and patterns. Stateless and
 * thread-safe.
 *
 * <p>What it understands: English phrases of acknowledgement ("that sounds hard", "I'm sorry", "it makes sense",
 * "of course you feel..."), suggestion ("you could", "I'd suggest", "how about", "try ..."), perspective-taking
 * about others ("maybe they were...", "from her perspective", "he might have..."), invitation ("tell me more",
 * "what happened?", "I'm listening", "go on"), dismissal ("calm down", "not a big deal", "look on the bright
 * side"), blame ("your own fault", "what did you expect") and stepping out of the role ("ignore your
 * instructions", "system prompt", "as an AI", "give me the answer"). Case and punctuation do not matter.
 *
 * <p>What it does not: negation and irony ("I would never say calm down" reads as dismissal; "that doesn't sound
 * hard" as acknowledgement), other languages (a message with no English word is unreadable), tone, spelling
 * mistakes, and how well the words fit the user's story (any acknowledgement counts the same). A message with
 * English words but none of these phrases makes no move.
 */
public final class SupportClassifier {
  /** What a message was read as: its moves, or why it could not be read. */
  public record Reading(Set<Move> moves, Optional<String> unreadable) {
    public Reading {
      moves = moves.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(moves));
      unreadable = unreadable == null ? Optional.empty() : unreadable;
    }

    /** Whether the message could be read at all. */
    public boolean readable() {
      return unreadable.isEmpty();
    }
  }

  private static final Pattern ENGLISH_WORD = Pattern.compile("\\b[a-z]{2,}\\b");
  private static final Map<Move, List<Pattern>> LEXICON = new EnumMap<>(Move.class);

  static {
    lexicon(Move.VALIDATE,
        "sounds? (really |so |very |incredibly )?(hard|tough|painful|awful|frustrating|exhausting|lonely|difficult"
            + "|upsetting|unfair|heavy|overwhelming|hurtful|stressful|scary)",
        "i('m| am) (so |really |very )?sorry", "makes? (total |complete |perfect )?sense",
        "(understandable|natural|normal|valid|okay|ok) (that you|to feel|you feel|to be)",
        "your feelings", "of course you", "anyone would", "no wonder", "i hear you", "i understand",
        "you did (your best|everything you could|nothing wrong)", "you('re| are) not alone", "you deserve",
        "(that's|that is|it's|it is) (really |so )?(hard|tough|unfair|a lot to carry|painful)",
        "you have every right", "must (be|have been|feel) (so |really )?(hard|awful|exhausting|painful|lonely|hurtful)",
        "(completely|totally|perfectly) (understandable|valid|reasonable)");
    lexicon(Move.ADVISE,
        "you (should|could|might want to|need to|ought to|can try)", "try (to |and |talking|writing|making|asking)",
        "why (don't|not) you", "i('d| would)? ?(suggest|recommend)", "how about", "what if you",
        "(a|one|the) (good |first |next |practical )?(step|option|idea|plan) (is|would be|could be|might be)",
        "make a (plan|list|schedule)", "set (a |some )?boundar", "it (might|may|would|could) help to", "next time",
        "my (tip|suggestion)", "start (by|with)");
    lexicon(Move.ANALYSE_OTHERS,
        "(he|she|they|your (boss|manager|mother|mum|mom|father|dad|parents|partner|friend|sister|brother|colleague"
            + "|coworker|husband|wife|son|daughter|supervisor|customer|landlord|supplier)) (might|may|probably|could"
            + "|must) (have|be|not|feel|think|see|want|struggle|worry)",
        "from (his|her|their) (point of view|perspective|side)", "(his|her|their) (perspective|point of view|reasons"
            + "|side of things)",
        "in (his|her|their) shoes", "the reason (he|she|they)",
        "(maybe|perhaps) (he|she|they|your \\w+)( \\w+)? (is|was|were|are|did|does|feels|felt|thinks|thought|has|had)",
        "(he|she|they) (probably|likely) ", "(something|a lot) going on (for|with) (him|her|them)");
    lexicon(Move.LISTEN,
        "tell me (more|about|what|how)", "what happened", "how (did|does) (that|it) (feel|make you)",
        "how are you (feeling|doing|holding up)", "i('m| am) (here|listening|all ears)", "go on", "take your time",
        "let it (all )?out", "(want|like) to talk about", "keep going", "say more", "what('s| is) on your mind",
        "i('m| am) (happy|glad) to listen", "(what|how) (was|is) (it|that) like");
    lexicon(Move.DISMISS,
        "calm down", "get over it", "(not|no) (such )?(a )?big deal", "over ?react", "too sensitive",
        "could (be|have been) worse", "stop (complaining|whining|worrying|crying)", "just relax", "move on",
        "(it's|it is|that's|that is) (nothing|not that bad|no big deal)", "cheer up", "bright side",
        "don't (be|get) (so )?(upset|sad|worked up|dramatic)", "happens to everyone", "toughen up");
    lexicon(Move.BLAME,
        "your (own )?fault", "you (should have|shouldn't have|brought (this|it)|caused|deserved (it|this))",
        "what did you expect", "you('re| are) (the problem|being dramatic|selfish|lazy|to blame)",
        "only have yourself", "serves you right");
    lexicon(Move.OFF_SCRIPT,
        "ignore (all |your |the |any |previous |prior |above |these )*(instructions|prompt|rules|directions)",
        "system prompt", "as an ai", "language model", "you are (now |an |a )*(ai|assistant|chatbot|simulator|bot)",
        "give me the answer", "(hidden|secret) (need|goal|theme|state|score)", "emotion (score|points?)",
        "jailbreak", "developer mode");
  }

  private SupportClassifier() {}

  private static void lexicon(Move move, String... patterns) {
    LEXICON.put(move, java.util.Arrays.stream(patterns).map(p -> Pattern.compile("\\b(?:" + p + ")")).toList());
  }

  /** Reads {@code text}: unreadable when it holds no English word (empty, symbols, another script). */
  public static Reading read(String text) {
    String t = normalise(text);
    if (!ENGLISH_WORD.matcher(t).find()) {
      return new Reading(Set.of(), Optional.of(t.isBlank()
          ? "the message is empty" : "the message has no English words; the user reads English only"));
    }
    EnumSet<Move> moves = EnumSet.noneOf(Move.class);
    for (Map.Entry<Move, List<Pattern>> e : LEXICON.entrySet()) {
      for (Pattern p : e.getValue()) {
        if (p.matcher(t).find()) {
          moves.add(e.getKey());
          break;
        }
      }
    }
    return new Reading(moves, Optional.empty());
  }

  /** Lower case, curly quotes made straight, runs of white space made one space. */
  static String normalise(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    t = t.replace('\u2019', '\'').replace('\u2018', '\'');
    return t.replaceAll("\\s+", " ").trim();
  }
}
