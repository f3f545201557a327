package dev.ludus.environments.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test encoder, registered as {@value #NAME} in the test class path's
 * {@code META-INF/services}: each character trigram of the lower-cased text (padded with a space at each end)
 * counts once into one of {@value #DIMENSION} buckets chosen by its hash. So it matches spellings BM25's
 * analysed terms do not ("Harbour Lites" is near "Harbor Lights"), and, having no IDF, it is swayed by common
 * words. Thread-safe.
 */
public final class HashedTrigramEncoder implements PassageEncoder {
  static final String NAME = "hashed-trigrams";
  static final int DIMENSION = 256;
  /** Texts encoded by every instance, for tests that check the corpus is encoded once. */
  static final AtomicInteger ENCODED = new AtomicInteger();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<float[]> encode(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      ENCODED.incrementAndGet();
      out.add(vector(t));
    }
    return out;
  }

  static float[] vector(String text) {
    String s = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip() + " ";
    float[] v = new float[DIMENSION];
    for (int i = 0; i + 3 <= s.length(); i++) {
      v[Math.floorMod(s.substring(i, i + 3).hashCode(), DIMENSION)] += 1f;
    }
    return s.isBlank() ? new float[DIMENSION] : v;
  }
}
