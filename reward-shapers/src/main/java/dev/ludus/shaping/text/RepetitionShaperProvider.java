package dev.ludus.shaping.text;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code repetition}: penalties for sentences that repeat what the agent already said, for sentences of
 * a bad length, and for repeated n-grams.
 *
 * <p>Papers: <i>Refine and Imitate: Reducing Repetition and Inconsistency in Persuasion Dialogues via
 * Reinforcement Learning and Human Demonstration</i> (catalog A10) [CODE: wyshi/consistency
 * {@code utils.py} for the repetition test, penalty values as cataloged], and the repeated-n-gram fraction
 * of <i>The Climb Carves Wisdom Deeper Than the Summit</i> (RPR, catalog B9) [CODE: {@code math_score.py}].
 *
 * <p>Formula, per agent turn t with sentences s_1..s_k:
 * repeat_t = Σ_i repeatPenalty·[|s_i| > 2 words ∧ ∃ earlier agent sentence u: J(s_i, u) ≥ threshold],
 * length_t = Σ_i lengthPenalty·[|s_i| ≤ shortWords ∨ |s_i| ≥ longWords],
 * ngram-repeat_t = −rep_n(a_t). J is the Jaccard similarity of the sentences' lower-cased word sets without
 * NLTK's English stop words (with all words when both sets are empty), as in {@code
 * is_ci_token_stopword_set_match}. "Earlier" means every agent sentence before s_i in the episode, in earlier
 * turns and earlier in the same turn. rep_n is RPR's fraction of repeated whitespace n-grams of the
 * lower-cased message (distinct n-grams seen more than once over the number of n-gram positions; 0 for
 * texts shorter than n; k copies of one n-gram give 1/(n+1) at k = 2, at most n/(2n+1) at k = 3, and
 * shrink beyond, a property of the code kept as is).
 *
 * <p>Choices [INFERRED]: (1) a sentence gets one penalty, as in the paper's per-sentence reward: a
 * sentence of bad length gets {@code lengthPenalty} and is not also counted as a repeat; (2) the paper
 * rewards each candidate sentence on its own; a turn's value is their sum by default ({@code aggregate:
 * sum}, each repeated sentence costs {@code repeatPenalty}) or, with {@code aggregate: mean}, their mean
 * over the turn's sentences (a turn-length-independent rate in [penalty, 0]); (3) sentences are split by
 * punctuation and line breaks and words are letter/digit runs, approximating NLTK's {@code sent_tokenize}
 * and {@code word_tokenize}; (4) markup tags are dropped and {@code <tool_call>} blocks are not prose. A
 * turn without sentences scores 0. Stateless and thread-safe.
 */
public final class RepetitionShaperProvider implements ShaperProvider<RepetitionShaperProvider.Config> {

  static final List<String> AGGREGATES = List.of("sum", "mean");

  /**
   * The configuration of {@code repetition}. Immutable; validated on construction.
   *
   * @param threshold the Jaccard overlap from which a sentence is a repeat, in (0, 1]; default 0.5
   * @param repeatPenalty the value of a repeated sentence, ≤ 0; default −2 (the paper's failed candidate)
   * @param lengthPenalty the value of a sentence of bad length, ≤ 0; default −3 (the paper's)
   * @param shortWords sentences of at most this many words are too short, ≥ 0; default 2
   * @param longWords sentences of at least this many words are too long, > shortWords; default 50
   * @param ngram n for the repeated-n-gram fraction, ≥ 1; default 20 (RPR's)
   * @param aggregate how a turn's sentence penalties combine: {@code sum} (the default) or {@code mean}
   */
  public record Config(double threshold, double repeatPenalty, double lengthPenalty, int shortWords, int longWords,
      int ngram, String aggregate) {
    public Config {
      aggregate = TextConfigs.checkOneOf("aggregate",
          aggregate == null ? "sum" : aggregate.strip().toLowerCase(Locale.ROOT), AGGREGATES);
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be in (0, 1], was " + threshold);
      }
      TextConfigs.checkAtMostZero("repeatPenalty", repeatPenalty);
      TextConfigs.checkAtMostZero("lengthPenalty", lengthPenalty);
      if (shortWords < 0) {
        throw new IllegalArgumentException("shortWords must be >= 0, was " + shortWords);
      }
      if (longWords <= shortWords) {
        throw new IllegalArgumentException("longWords must be greater than shortWords (" + shortWords + "), was "
            + longWords);
      }
      if (ngram < 1) {
        throw new IllegalArgumentException("ngram must be >= 1, was " + ngram);
      }
    }

    /** The paper's values: overlap 0.5, −2 for a repeat, −3 outside 3..49 words; 20-grams; summed. */
    public static Config defaults() {
      return new Config(0.5, -2.0, -3.0, 2, 50, 20, "sum");
    }
  }

  @Override
  public String name() {
    return "repetition";
  }

  @Override
  public String description() {
    return "penalises sentences that repeat earlier agent sentences, sentences of bad length, and repeated n-grams";
  }

  @Override
  public String formula() {
    return "repeat_t = Σ_s -2·[J(s, earlier) ≥ 0.5]; length_t = Σ_s -3·[|s| ≤ 2 ∨ |s| ≥ 50]; "
        + "ngram-repeat_t = -rep_20(a_t)";
  }

  @Override
  public String reference() {
    return "Refine and Imitate: Reducing Repetition and Inconsistency in Persuasion Dialogues [CODE]; "
        + "The Climb Carves Wisdom Deeper Than the Summit, rep_20 [CODE]";
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
    return new Repetition(config);
  }

  /** A sentence as the repetition test sees it. */
  private record Sentence(List<String> words, Set<String> content) {
    static Sentence of(String s) {
      List<String> words = Text.words(s);
      return new Sentence(words, Text.contentWords(words));
    }

    /** The overlap of {@code is_ci_token_stopword_set_match}: content words, or all words if both have none. */
    double overlap(Sentence other) {
      if (content.isEmpty() && other.content.isEmpty()) {
        return Text.jaccard(new HashSet<>(words), new HashSet<>(other.words));
      }
      return Text.jaccard(content, other.content);
    }
  }

  static final class Repetition extends TextShaper {
    private final Config config;

    Repetition(Config config) {
      super(false);
      this.config = config;
    }

    @Override
    TurnScores scores(Episode episode) {
      List<Sentence> earlier = new ArrayList<>();
      return (t, out) -> {
        String content = t.action().content();
        double repeat = 0;
        double length = 0;
        int count = 0;
        for (String raw : Text.sentences(Text.prose(content))) {
          Sentence s = Sentence.of(raw);
          int n = s.words().size();
          count++;
          if (n <= config.shortWords() || n >= config.longWords()) {
            length += config.lengthPenalty();
          } else if (n > 2 && repeats(s, earlier)) {
            repeat += config.repeatPenalty();
          }
          earlier.add(s);
        }
        if (config.aggregate().equals("mean") && count > 0) {
          repeat /= count;
          length /= count;
        }
        double ngram = Text.repeatedNgramFraction(
            Text.whitespaceTokens(content.toLowerCase(Locale.ROOT)), config.ngram());
        out.add("repeat", repeat);
        out.add("length", length);
        out.add("ngram-repeat", ngram == 0 ? 0.0 : -ngram);
      };
    }

    private boolean repeats(Sentence s, List<Sentence> earlier) {
      for (Sentence e : earlier) {
        if (s.overlap(e) >= config.threshold()) {
          return true;
        }
      }
      return false;
    }
  }
}
