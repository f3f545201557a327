package dev.ludus.agents.djl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Encoding throughput of the byte-level BPE against the word-level tokenizer, on the same texts in the same
 * run: the BPE as rollouts use it (pieces cached), the BPE with no cache (text never seen before), the same
 * BPE file through DJL's native Hugging Face library, and a word-level tokenizer whose vocabulary is every
 * piece of the training texts (so it too knows all the words). Each is warmed up, then measured for
 * {@code rounds} interleaved rounds over all texts; the fastest round of each counts, which damps the noise of
 * a shared machine. Meant for {@code ludus bench tokenizer}, which feeds it an environment's text.
 */
public final class TokenizerBenchmark {
  private TokenizerBenchmark() {}

  /**
   * One tokenizer's figure.
   *
   * @param tokenizer what was measured
   * @param tokens tokens in one pass over the texts
   * @param characters characters in one pass
   * @param seconds the fastest pass
   */
  public record Row(String tokenizer, long tokens, long characters, double seconds) {
    public double tokensPerSecond() {
      return tokens / seconds;
    }

    public double charactersPerSecond() {
      return characters / seconds;
    }
  }

  /**
   * @param texts texts per pass
   * @param bpeVocabSize tokens of the trained BPE
   * @param rows the cached BPE, the BPE without a cache, the Hugging Face library on the same file (absent when
   *     its native library did not load), and the word-level baseline, last
   */
  public record Result(int texts, int bpeVocabSize, List<Row> rows) {
    /** The word-level baseline. */
    public Row baseline() {
      return rows.get(rows.size() - 1);
    }

    public String format() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-48s %10s %12s %14s %12s%n", "tokenizer",
          "tokens", "tokens/s", "characters/s", "vs word-level"));
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "%-48s %10d %12.0f %14.0f %12.2f%n", r.tokenizer(), r.tokens(),
            r.tokensPerSecond(), r.charactersPerSecond(), r.charactersPerSecond() / baseline().charactersPerSecond()));
      }
      sb.append(String.format(Locale.ROOT, "%d texts per pass; vs word-level = characters/s over the word-level "
          + "tokenizer's characters/s, measured in this run (a BPE writes more tokens for the same text)", texts));
      return sb.toString();
    }
  }

  /**
   * Trains a BPE of {@code vocabSize} on {@code corpus} and measures all four on {@code texts}.
   *
   * @param rounds measured passes per tokenizer, at least 1
   */
  public static Result run(List<String> corpus, List<String> texts, int vocabSize, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
    }
    ByteLevelBpeTokenizer bpe = ByteLevelBpeTokenizer.train(corpus, vocabSize);
    ByteLevelBpeTokenizer cold = bpe.withCache(0);
    Set<String> words = new LinkedHashSet<>();
    for (String t : corpus) {
      Matcher m = WordLevelTokenizer.PIECE.matcher(t);
      while (m.find()) {
        words.add(m.group());
      }
    }
    WordLevelTokenizer wordLevel = new WordLevelTokenizer(new ArrayList<>(words));
    LmTokenizer huggingFace = null;
    Path file = null;
    try {
      file = Files.createTempFile("ludus-bench-bpe-", ".json");
      bpe.save(file);
      huggingFace = HuggingFaceLmTokenizer.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      huggingFace = null; // the native library is optional here: the other rows still compare
    }
    try {
      List<LmTokenizer> all = new ArrayList<>(List.of(bpe, cold));
      String bpeName = "byte-level BPE (" + bpe.vocabSize() + " tokens, ";
      List<String> names = new ArrayList<>(List.of(bpeName + "Java, cached)", bpeName + "Java, no cache)"));
      if (huggingFace != null) {
        all.add(huggingFace);
        names.add(bpeName + "Hugging Face, DJL)");
      }
      all.add(wordLevel);
      names.add("word-level (" + wordLevel.vocabSize() + " tokens)");
      long characters = texts.stream().mapToLong(String::length).sum();
      long[] tokens = new long[all.size()];
      long[] best = new long[all.size()];
      for (int i = 0; i < all.size(); i++) {
        pass(all.get(i), texts); // warm-up (and fills the cache)
        best[i] = Long.MAX_VALUE;
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < all.size(); i++) {
          long start = System.nanoTime();
          tokens[i] = pass(all.get(i), texts);
          best[i] = Math.min(best[i], System.nanoTime() - start);
        }
      }
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        rows.add(new Row(names.get(i), tokens[i], characters, best[i] / 1e9));
      }
      return new Result(texts.size(), bpe.vocabSize(), rows);
    } finally {
      if (huggingFace != null) {
        huggingFace.close();
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();
      }
    }
  }

  private static long pass(LmTokenizer tokenizer, List<String> texts) {
    long tokens = 0;
    for (String t : texts) {
      tokens += tokenizer.encode(t).length;
    }
    return tokens;
  }
}
