package dev.ludus.simulators.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text helpers the rule-based users share: sentences, words, content words (without English stop words) and
 * the Jaccard overlap of Refine-and-Imitate's repetition test ({@code is_ci_token_stopword_set_match}: lower-cased,
 * stop-word-free word sets). Stateless and thread-safe.
 */
public final class ContentWords {
  private ContentWords() {}

  /** The overlap from which R&amp;I counts a sentence as a repeat. */
  public static final double REPEAT_THRESHOLD = 0.5;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");

  /** NLTK's English stop words (the list R&amp;I filters with), in their apostrophe-free forms as well. */
  private static final Set<String> STOP = Set.of("i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
      "you're", "you've", "you'll", "you'd", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself",
      "she", "she's", "her", "hers", "herself", "it", "it's", "its", "itself", "they", "them", "their", "theirs",
      "themselves", "what", "which", "who", "whom", "this", "that", "that'll", "these", "those", "am", "is", "are",
      "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
      "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
      "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from", "up",
      "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when",
      "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor",
      "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "don't",
      "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "aren't", "couldn", "couldn't",
      "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't", "hasn", "hasn't", "haven", "haven't", "isn", "isn't",
      "ma", "mightn", "mightn't", "mustn", "mustn't", "needn", "needn't", "shan", "shan't", "shouldn", "shouldn't",
      "wasn", "wasn't", "weren", "weren't", "won", "won't", "wouldn", "wouldn't", "i'm", "i've", "i'll", "i'd",
      "we're", "let's", "would", "could");

  /** Whether {@code word} (lower case) is an English stop word. */
  public static boolean isStopWord(String word) {
    return STOP.contains(word);
  }

  /** The sentences of {@code text}: split after {@code . ! ?} followed by space, and at line breaks; blank ones dropped. */
  public static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : SENTENCE_END.split(text == null ? "" : text)) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** The lower-cased words (letter or digit runs, with an apostrophe suffix such as {@code don't}) of {@code text}. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT).replace('\u2019', '\''));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The set of {@code words} that are not stop words. */
  public static Set<String> content(List<String> words) {
    Set<String> out = new HashSet<>();
    for (String w : words) {
      if (!STOP.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** {@code |a ∩ b| / |a ∪ b|}; 0 when both are empty. */
  public static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0.0;
    }
    Set<String> inter = new HashSet<>(a);
    inter.retainAll(b);
    return (double) inter.size() / (a.size() + b.size() - inter.size());
  }

  /**
   * Whether {@code sentence} repeats one of {@code earlier} (each a content-word set) as R&amp;I counts it: it has
   * more than two words and its content-word overlap with one of them is at least {@link #REPEAT_THRESHOLD}.
   */
  public static boolean repeats(String sentence, List<Set<String>> earlier) {
    List<String> words = words(sentence);
    if (words.size() <= 2) {
      return false;
    }
    Set<String> c = content(words);
    if (c.isEmpty()) {
      return false;
    }
    for (Set<String> e : earlier) {
      if (jaccard(c, e) >= REPEAT_THRESHOLD) {
        return true;
      }
    }
    return false;
  }
}
