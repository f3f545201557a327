package dev.ludus.shaping.text;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import java.util.List;
import java.util.Locale;

/**
 * {@code reasoning-pattern}: the Reasoning Pattern Reward (RPR), which pays for reasoning phrases and
 * takes back for repetition and for the model writing the user's part.
 *
 * <p>Paper: <i>The Climb Carves Wisdom Deeper Than the Summit: On the Noisy Rewards in Learning to
 * Reason</i>; formula and phrase list from the authors' code ({@code verl/utils/reward_score/math_score.py},
 * {@code think_reward}) [CODE], catalog entry B9.
 *
 * <p>Formula: RPR(y) = max(0, min(1, n_hit/20) − rep_20(y) − count(y, "user: ")), on the lower-cased agent
 * message y. n_hit is how many of the 40 phrases of {@link #PHRASES} occur in y (each counts once, as a
 * substring: "thus" also hits "thusly"); rep_20 is the fraction of repeated whitespace 20-grams (distinct
 * 20-grams seen more than once over the number of 20-gram positions, 0 under 20 tokens); count is the
 * number of occurrences. The code scores the text after {@code "Assistant: <think>"} of a raw completion;
 * here y is the whole agent message.
 *
 * <p>A property of the code's rep_20 worth knowing: it counts <i>distinct</i> repeated 20-grams, so k
 * copies of one 20-gram give 1/21 at k = 2, 20/41 at k = 3 and 20/(20k − 19) beyond, falling as the loop
 * goes on. A looping message therefore scores 0 only while its phrase score n_hit/20 stays below that (a
 * phrase-poor loop); a loop of 10 or more phrases keeps a positive reward. Stateless and thread-safe.
 */
public final class ReasoningPatternShaperProvider
    implements ShaperProvider<ReasoningPatternShaperProvider.Config> {

  /** The 40 reasoning phrases of {@code think_reward}, verbatim (including its misspelt "makes sence"). */
  static final List<String> PHRASES = List.of("i need to", "we need to", "wait", "alternatively", "let me check",
      "let me see", "let's focus on", "we know that", "we can observe ", "we can see ", "let me try", "let's try",
      "let us try", "first, ", "firstly, ", "next, ", "finally, ", "let us first", "let's first", "let me first",
      "try again", "still not", "not working", "not correct", "does not work", "doesn't work", "makes sence",
      "since we ", "because we ", "consequently", "as a result", "thus", "therefore", "hence", "so that",
      "thereby", "if we", "given there ", "for instance ", "for example ");

  /**
   * The configuration of {@code reasoning-pattern}. Immutable.
   *
   * @param lastTurnOnly whether only the final agent message is scored (as for a single-turn completion);
   *     default false: every agent message
   */
  public record Config(boolean lastTurnOnly) {
    /** Every agent message. */
    public static Config defaults() {
      return new Config(false);
    }
  }

  @Override
  public String name() {
    return "reasoning-pattern";
  }

  @Override
  public String description() {
    return "Reasoning Pattern Reward: reasoning phrases used, minus repeated 20-grams and 'user: ' turns";
  }

  @Override
  public String formula() {
    return "r_t = max(0, min(1, n_hit/20) - rep_20(a_t) - count(a_t, \"user: \"))";
  }

  @Override
  public String reference() {
    return "The Climb Carves Wisdom Deeper Than the Summit: On the Noisy Rewards in Learning to Reason "
        + "[CODE: math_score.py]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public RewardShaper create(Config config) {
    return new ReasoningPattern(config);
  }

  /** RPR of one text. */
  static double rpr(String text) {
    String y = text.toLowerCase(Locale.ROOT);
    int hits = 0;
    for (String p : PHRASES) {
      if (y.contains(p)) {
        hits++;
      }
    }
    double score = Math.min(1.0, hits / 20.0);
    score -= Text.repeatedNgramFraction(Text.whitespaceTokens(y), 20);
    score -= occurrences(y, "user: ");
    return Math.max(0.0, score);
  }

  private static int occurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  static final class ReasoningPattern extends TextShaper {
    ReasoningPattern(Config config) {
      super(config.lastTurnOnly());
    }

    @Override
    TurnScores scores(Episode episode) {
      return (t, out) -> out.add("rpr", rpr(t.action().content()));
    }
  }
}
