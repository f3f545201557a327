package dev.ludus.shaping.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text utilities shared by the text shapers: word and whitespace tokens, sentences, n-gram repetition,
 * stop words and set overlap. Stateless.
 */
final class Text {
  private Text() {}

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*");
  private static final Pattern TOOL_CALL_BLOCK = Pattern.compile("<tool_call>.*?(?:</tool_call>|$)", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("</?[A-Za-z_][A-Za-z0-9_:-]*>");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"'”’)\\]]{0,3})\\s+|\\n+");

  /**
   * NLTK's English stop-word list (the 179 words of {@code nltk.corpus.stopwords.words('english')}), which
   * Refine-and-Imitate's repetition filter removes before comparing sentences.
   */
  static final Set<String> STOP_WORDS = Set.of("i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you",
      "you're", "you've", "you'll", "you'd", "your", "yours", "yourself", "yourselves", "he", "him", "his",
      "himself", "she", "she's", "her", "hers", "herself", "it", "it's", "its", "itself", "they", "them", "their",
      "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "that'll", "these", "those", "am",
      "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
      "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
      "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above",
      "below", "to", "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
      "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
      "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t",
      "can", "will", "just", "don", "don't", "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y",
      "ain", "aren", "aren't", "couldn", "couldn't", "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't",
      "hasn", "hasn't", "haven", "haven't", "isn", "isn't", "ma", "mightn", "mightn't", "mustn", "mustn't",
      "needn", "needn't", "shan", "shan't", "shouldn", "shouldn't", "wasn", "wasn't", "weren", "weren't", "won",
      "won't", "wouldn", "wouldn't");

  /** Lower-cased words: runs of letters and digits, with inner apostrophes kept ({@code don't}). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT).replace('’', '\''));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Whitespace-separated tokens, as Python's {@code str.split()} gives them (case kept). */
  static List<String> whitespaceTokens(String text) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i))) {
        if (start >= 0) {
          out.add(text.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      out.add(text.substring(start));
    }
    return out;
  }

  /**
   * The prose of an agent message: {@code <tool_call>} blocks dropped with their content (they are
   * structured calls, not sentences), other markup tags such as {@code <think>} replaced by a space.
   */
  static String prose(String content) {
    if (content.indexOf('<') < 0) {
      return content; // no markup: nothing to drop (the common case, and the regexes are the cost)
    }
    String noCalls = content.contains("<tool_call>") ? TOOL_CALL_BLOCK.matcher(content).replaceAll(" ") : content;
    return TAG.matcher(noCalls).replaceAll(" ");
  }

  /**
   * Sentences: split after {@code .}, {@code !} or {@code ?} (and any closing quotes or brackets) followed by
   * whitespace, and at line breaks; blank pieces dropped. An approximation of NLTK's Punkt sentence splitter
   * without its abbreviation model ("e.g. this" splits).
   */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    if (!hasSentenceBreak(text)) {
      String t = text.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
      return out;
    }
    for (String s : SENTENCE_END.split(text)) {
      String t = s.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean hasSentenceBreak(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  /**
   * The fraction of repeated n-grams, as in RPR's {@code calculate_ngram_repetition_ratio}: the number of
   * distinct n-grams that occur more than once, divided by the number of n-gram positions; 0 when the text
   * has fewer than {@code n} tokens.
   */
  static double repeatedNgramFraction(List<String> tokens, int n) {
    int total = tokens.size() - n + 1;
    if (total <= 0) {
      return 0;
    }
    Map<List<String>, Integer> counts = new HashMap<>();
    for (int i = 0; i < total; i++) {
      counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
    }
    long repeated = counts.values().stream().filter(c -> c > 1).count();
    return (double) repeated / total;
  }

  /** |a ∩ b| / |a ∪ b|; 0 when both are empty. */
  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    int inter = 0;
    for (String w : small) {
      if (large.contains(w)) {
        inter++;
      }
    }
    return (double) inter / (a.size() + b.size() - inter);
  }

  /** {@code words} without stop words, as a set. */
  static Set<String> contentWords(List<String> words) {
    Set<String> out = new HashSet<>();
    for (String w : words) {
      if (!STOP_WORDS.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }
}
