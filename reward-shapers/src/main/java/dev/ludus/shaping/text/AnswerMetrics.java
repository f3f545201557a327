package dev.ludus.shaping.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answer-versus-reference metrics: SQuAD exact match and token F1, IGPO's set F1, and smoothed sentence BLEU
 * as Hugging Face {@code evaluate}'s {@code bleu} computes it. Stateless.
 */
final class AnswerMetrics {
  private AnswerMetrics() {}

  /** Python's {@code string.punctuation}. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Pattern ARTICLES = Pattern.compile("(?U)\\b(a|an|the)\\b");

  // Tokenizer13a's regular expressions (sacrebleu's mteval-v13a), in order.
  private static final Pattern T13A_SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
  private static final Pattern T13A_PERIOD_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern T13A_PERIOD_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern T13A_DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

  /**
   * SQuAD's {@code normalize_answer}: lower-case, drop ASCII punctuation, drop the articles a/an/the, and
   * collapse whitespace.
   */
  static String normalize(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        sb.append(c);
      }
    }
    String noArticles = ARTICLES.matcher(sb).replaceAll(" ");
    return String.join(" ", Text.whitespaceTokens(noArticles));
  }

  /** SQuAD exact match: 1 if the normalized strings are equal, else 0. */
  static double exact(String prediction, String reference) {
    return normalize(prediction).equals(normalize(reference)) ? 1.0 : 0.0;
  }

  /**
   * SQuAD v1.1 token F1 over normalized whitespace tokens, counting multiplicity: 2PR/(P+R) with
   * P = common/|pred| and R = common/|ref|; 0 when nothing is in common (also when either is empty).
   */
  static double f1(String prediction, String reference) {
    List<String> p = Text.whitespaceTokens(normalize(prediction));
    List<String> r = Text.whitespaceTokens(normalize(reference));
    Map<String, Integer> rc = new HashMap<>();
    r.forEach(t -> rc.merge(t, 1, Integer::sum));
    int common = 0;
    for (String t : p) {
      Integer left = rc.get(t);
      if (left != null && left > 0) {
        common++;
        rc.put(t, left - 1);
      }
    }
    if (common == 0) {
      return 0.0;
    }
    double precision = (double) common / p.size();
    double recall = (double) common / r.size();
    return 2 * precision * recall / (precision + recall);
  }

  /**
   * IGPO's final-turn F1 ({@code compute_f1}): lower-case, every ASCII punctuation mark replaced by a space,
   * then F1 over the sets of whitespace tokens (no article removal, no multiplicity); 0 when either is empty.
   */
  static double setF1(String prediction, String reference) {
    Set<String> p = new HashSet<>(Text.whitespaceTokens(igpoPreprocess(prediction)));
    Set<String> r = new HashSet<>(Text.whitespaceTokens(igpoPreprocess(reference)));
    if (p.isEmpty() || r.isEmpty()) {
      return 0.0;
    }
    Set<String> common = new HashSet<>(p);
    common.retainAll(r);
    if (common.isEmpty()) {
      return 0.0;
    }
    double precision = (double) common.size() / p.size();
    double recall = (double) common.size() / r.size();
    return 2 * precision * recall / (precision + recall);
  }

  private static String igpoPreprocess(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      sb.append(PUNCTUATION.indexOf(c) < 0 ? c : ' ');
    }
    return sb.toString();
  }

  /** sacrebleu's 13a tokenization as {@code evaluate}'s {@code Tokenizer13a} does it (case kept). */
  static List<String> tokenize13a(String line) {
    String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
    if (s.contains("&")) {
      s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    s = " " + s + " ";
    s = T13A_SYMBOLS.matcher(s).replaceAll(" $1 ");
    s = T13A_PERIOD_AFTER_NON_DIGIT.matcher(s).replaceAll("$1 $2 ");
    s = T13A_PERIOD_BEFORE_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
    s = T13A_DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
    return Text.whitespaceTokens(s);
  }

  /**
   * BLEU of one hypothesis against one or more references, as {@code compute_bleu} of tensorflow/nmt (which
   * {@code evaluate}'s {@code bleu} calls): n-gram counts clipped by the maximum count in any reference,
   * precisions p_n for n = 1..maxOrder, smoothed as (matches + 1)/(possible + 1) for every n when
   * {@code smooth} (Lin &amp; Och 2004), geometric mean, brevity penalty exp(1 − r/c) against the shortest
   * reference when c ≤ r. 0 when the hypothesis or the shortest reference is empty.
   */
  static double bleu(List<String> hypothesis, List<List<String>> references, int maxOrder, boolean smooth) {
    int refLength = Integer.MAX_VALUE;
    Map<List<String>, Integer> maxRefCounts = new HashMap<>();
    for (List<String> ref : references) {
      refLength = Math.min(refLength, ref.size());
      ngramCounts(ref, maxOrder).forEach((g, c) -> maxRefCounts.merge(g, c, Math::max));
    }
    int hypLength = hypothesis.size();
    if (references.isEmpty() || refLength == 0 || hypLength == 0) {
      return 0.0;
    }
    long[] matches = new long[maxOrder];
    long[] possible = new long[maxOrder];
    ngramCounts(hypothesis, maxOrder).forEach((g, c) -> {
      int overlap = Math.min(c, maxRefCounts.getOrDefault(g, 0));
      matches[g.size() - 1] += overlap;
    });
    for (int n = 1; n <= maxOrder; n++) {
      possible[n - 1] = Math.max(0, hypLength - n + 1);
    }
    double logSum = 0;
    for (int i = 0; i < maxOrder; i++) {
      double p;
      if (smooth) {
        p = (matches[i] + 1.0) / (possible[i] + 1.0);
      } else {
        p = possible[i] > 0 ? (double) matches[i] / possible[i] : 0.0;
      }
      if (p <= 0) {
        return 0.0;
      }
      logSum += Math.log(p) / maxOrder;
    }
    double ratio = (double) hypLength / refLength;
    double bp = ratio > 1.0 ? 1.0 : Math.exp(1 - 1.0 / ratio);
    return Math.exp(logSum) * bp;
  }

  /**
   * BLEUBERI's {@code bleu_reward}: smoothed BLEU up to 4-grams over 13a tokens of the prediction against
   * all references at once; 0 for a blank prediction.
   */
  static double bleuberi(String prediction, List<String> references) {
    if (prediction.isBlank()) {
      return 0.0;
    }
    List<List<String>> refs = new ArrayList<>();
    for (String r : references) {
      refs.add(tokenize13a(r));
    }
    return bleu(tokenize13a(prediction), refs, 4, true);
  }

  private static Map<List<String>, Integer> ngramCounts(List<String> tokens, int maxOrder) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int n = 1; n <= maxOrder; n++) {
      for (int i = 0; i + n <= tokens.size(); i++) {
        counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
      }
    }
    return counts;
  }
}
