package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The constant text of an environment's opening messages, for the recipe's BPE to read as whole texts (one token
 * each): every opening message that all measured episodes repeat unchanged ({@link
 * TokenizerCorpus.Episodes#constantOpenings}), then, of each opening message that varies, the longest prefix and the
 * longest suffix that the message shares in every measured episode (the instructions around a question, a database
 * schema before its question), each at least {@value #MIN_SPAN_CHARACTERS} characters. A prefix
 * is cut back to end before a whitespace character and a suffix to start at one, so the varying text between them is
 * cut into the same byte-level pieces as anywhere else. A policy trained from scratch learns nothing from text that
 * never varies; as one token it costs one position instead of a hundred or more (measured on search-qa and
 * text-to-sql in the README). An opening that lacks a span (a task of a kind the measured episodes did not show)
 * is tokenized as before, piece by piece. Stateless.
 */
final class OpeningSpans {
  /**
   * The shortest span made one token: instructions, not what a few sampled tasks happen to share (the board worlds'
   * first observations share 49 to 97 characters, their start position and the board's first row, which later
   * observations show in pieces; search-qa's instructions are 563 characters and text-to-sql's schema part 761).
   */
  static final int MIN_SPAN_CHARACTERS = 128;

  private OpeningSpans() {}

  /** The whole texts of {@code corpus}: its constant openings, then the constant spans of the varying ones. */
  static List<String> of(TokenizerCorpus.Episodes corpus) {
    List<Episode> all = new ArrayList<>(corpus.oracle());
    all.addAll(corpus.random());
    List<String> out = new ArrayList<>(corpus.constantOpenings());
    if (all.isEmpty() || all.stream().anyMatch(e -> e.start() == null)) {
      return List.copyOf(out);
    }
    int messages = all.get(0).start().size();
    for (int j = 0; j < messages; j++) {
      List<String> texts = new ArrayList<>();
      for (Episode e : all) {
        if (e.start().size() != messages || e.start().get(j).role() != all.get(0).start().get(j).role()) {
          return List.copyOf(out); // openings of different shapes: no position to compare
        }
        texts.add(TokenizerCorpus.text(e.start().get(j)));
      }
      if (texts.stream().distinct().count() == 1) {
        continue; // constant: a whole opening already (when long enough)
      }
      String prefix = prefix(texts);
      String suffix = suffix(texts, prefix.length());
      for (String span : List.of(prefix, suffix)) {
        if (span.length() >= MIN_SPAN_CHARACTERS && !out.contains(span)) {
          out.add(span);
        }
      }
    }
    return List.copyOf(out);
  }

  /** The longest prefix of every text, ending before a whitespace character (and not at the end of any text). */
  static String prefix(List<String> texts) {
    String first = texts.get(0);
    int n = first.length();
    for (String t : texts) {
      n = Math.min(n, common(first, t));
    }
    while (n > 0 && !(Character.isWhitespace(first.charAt(n)) && !Character.isWhitespace(first.charAt(n - 1)))) {
      n--;
    }
    return first.substring(0, n);
  }

  /**
   * The longest suffix of every text that starts at a whitespace character and leaves at least {@code prefix}
   * characters before it in each text.
   */
  static String suffix(List<String> texts, int prefix) {
    String first = texts.get(0);
    int n = first.length() - prefix;
    for (String t : texts) {
      n = Math.min(n, Math.min(t.length() - prefix, commonEnd(first, t)));
    }
    // the suffix is first[len - n ..]; move its start right until it sits at a whitespace run's first character
    int start = first.length() - Math.max(0, n);
    while (start < first.length() && !(Character.isWhitespace(first.charAt(start))
        && (start == 0 || !Character.isWhitespace(first.charAt(start - 1))))) {
      start++;
    }
    return first.substring(start);
  }

  private static int common(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    // a text that is a prefix of another ends there: keep the prefix short of its end, so the span is not the text
    return i == n ? Math.max(0, n - 1) : i;
  }

  private static int commonEnd(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) {
      i++;
    }
    return i == n ? Math.max(0, n - 1) : i;
  }
}
