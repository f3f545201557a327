package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class RetrieverTest {
  static final List<Passage> CORPUS = List.of(
      new Passage("0", "Harbor Lights", List.of("Harbor Lights is a 1987 film.", "It was directed by Ana Venn.")),
      new Passage("1", "Ana Venn", List.of("Ana Venn is a film director.", "Ana Venn was born in 1950.")),
      new Passage("2", "Of The And", List.of("Of the and of the in the of the and of the.")),
      new Passage("3", "Ivo Marr", List.of("Ivo Marr is a film director born in 1961.")));

  static PassageIndex index() {
    HashedTrigramEncoder encoder = new HashedTrigramEncoder();
    return PassageIndex.build(CORPUS, 0.9, 0.4, CorpusEmbeddings.encode(CORPUS, encoder));
  }

  static Retriever retriever(String mode, PassageIndex index) {
    return new Retriever(mode, index, mode.equals("bm25") ? null : new HashedTrigramEncoder());
  }

  @Test
  void hybridFindsAGoldPassageThatBm25AloneMisses() {
    String misspelt = "Harbour Lites"; // analysed to harbour, lite: neither is a term of the corpus
    try (PassageIndex index = index()) {
      assertTrue(retriever("bm25", index).search(misspelt, 1).isEmpty());
      assertEquals(List.of(0), retriever("dense", index).search(misspelt, 1));
      assertEquals(List.of(0), retriever("hybrid", index).search(misspelt, 1));
    }
  }

  @Test
  void hybridFindsAGoldPassageThatDenseAloneMisses() {
    String query = "of the and of the in the Venn"; // one content word among stop words, which sway trigrams
    try (PassageIndex index = index()) {
      assertEquals(1, retriever("bm25", index).search(query, 1).get(0));
      assertNotEquals(1, retriever("dense", index).search(query, 1).get(0));
      assertEquals(List.of(1), retriever("hybrid", index).search(query, 1));
    }
  }

  @Test
  void denseSearchRanksByCosineAsABruteForceScanDoes() {
    HashedTrigramEncoder encoder = new HashedTrigramEncoder();
    List<float[]> vectors = CorpusEmbeddings.encode(CORPUS, encoder);
    try (PassageIndex index = PassageIndex.build(CORPUS, 0.9, 0.4, vectors)) {
      for (String q : List.of("Ana Venn born", "Harbour Lites", "film director 1961", "of the and")) {
        float[] v = encoder.encodeQuery(q);
        List<Integer> brute = IntStream.range(0, CORPUS.size()).boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -cosine(v, vectors.get(i))).thenComparing(i -> i))
            .toList();
        assertEquals(brute.subList(0, 3), retriever("dense", index).search(q, 3), q);
      }
    }
  }

  @Test
  void everyRetrieverHonoursTopK() {
    try (PassageIndex index = index()) {
      for (String mode : SearchQaConfig.RETRIEVALS) {
        // BM25 finds only the three passages that hold a query term; every passage has a vector
        int found = mode.equals("bm25") ? 3 : CORPUS.size();
        for (int k = 1; k <= 5; k++) {
          assertEquals(Math.min(k, found), retriever(mode, index).search("Ana Venn film director", k).size(),
              mode + " k=" + k);
        }
      }
    }
  }

  @Test
  void fusionScoresAreReciprocalRanksWithK60() {
    // 10: rank 1 in the first list only (1/61); 20: rank 2 in both (2/62, more); 30: rank 1 in the second only
    List<Integer> fused = Retriever.fuse(List.of(hits(10, 20), hits(30, 20)), 3);
    assertEquals(List.of(20, 10, 30), fused, "equal scores (10 and 30) go to the better rank in the first list");
    // 7, rank 2 in one list and 60 in the other (1/62 + 1/120 = 0.0245), beats 8, rank 1 in one only (1/61 = 0.0164)
    List<PassageIndex.Hit> longList = new ArrayList<>();
    for (int i = 100; i < 159; i++) {
      longList.add(new PassageIndex.Hit(i, 1));
    }
    longList.add(new PassageIndex.Hit(7, 1)); // rank 60
    assertEquals(List.of(7, 8), Retriever.fuse(List.of(hits(8, 7), longList), 2));
  }

  @Property(tries = 200)
  void fusingARankingWithItselfKeepsItsOrder(@ForAll @Size(max = 30) @UniqueElements List<@IntRange(max = 500) Integer> ranking,
      @ForAll @IntRange(min = 1, max = 40) int k) {
    List<PassageIndex.Hit> hits = ranking.stream().map(p -> new PassageIndex.Hit(p, 1f)).toList();
    assertEquals(ranking.subList(0, Math.min(k, ranking.size())), Retriever.fuse(List.of(hits, hits), k));
  }

  @Property(tries = 200)
  void aPassageFirstInEveryRankingIsFirst(@ForAll @Size(min = 1, max = 30) @UniqueElements List<@IntRange(max = 500) Integer> a,
      @ForAll @Size(max = 30) @UniqueElements List<@IntRange(max = 500) Integer> b) {
    List<Integer> other = new ArrayList<>(b);
    other.remove(a.get(0));
    other.add(0, a.get(0));
    List<Integer> fused = Retriever.fuse(List.of(hits(a.toArray(Integer[]::new)), hits(other.toArray(Integer[]::new))), 1);
    assertEquals(List.of(a.get(0)), fused);
  }

  private static List<PassageIndex.Hit> hits(Integer... passages) {
    List<PassageIndex.Hit> out = new ArrayList<>();
    for (int p : passages) {
      out.add(new PassageIndex.Hit(p, 1f));
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
