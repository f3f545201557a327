package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PassageIndexTest {
  static final List<Passage> CORPUS = List.of(
      new Passage("0", "Harbor Lights", List.of("Harbor Lights is a 1987 film.", "It was directed by Ana Venn.")),
      new Passage("1", "Harbor Lights Returns", List.of("Harbor Lights Returns is a 2001 film about a harbor and its "
          + "lights and the harbor town, a long film.")),
      new Passage("2", "Ana Venn", List.of("Ana Venn is a film director.", "Ana Venn was born in 1950.")));

  @Test
  void theBestPassagesComeFirstAndTopKIsHonoured() {
    try (PassageIndex index = PassageIndex.build(CORPUS, 0.9, 0.4)) {
      assertEquals(2, index.search("Ana Venn born", 1).get(0).passage());
      assertEquals(2, index.search("harbor", 2).size());
      assertTrue(index.search("the of and", 3).isEmpty(), "stop words only: no query terms");
      assertTrue(index.search("zzzz", 3).isEmpty());
    }
  }

  @Test
  void k1AndBChangeTheScores() {
    try (PassageIndex a = PassageIndex.build(CORPUS, 0.9, 0.4); PassageIndex b = PassageIndex.build(CORPUS, 1.2, 0.75);
         PassageIndex c = PassageIndex.build(CORPUS, 0.9, 0.0)) {
      float sa = a.search("harbor", 1).get(0).score();
      assertNotEquals(sa, b.search("harbor", 1).get(0).score());
      assertNotEquals(sa, c.search("harbor", 1).get(0).score());
      // b = 0: no length normalisation, so the long passage saying "harbor" three times wins
      assertEquals(1, c.search("harbor", 1).get(0).passage());
    }
  }

  @Test
  void aVeryLongQueryKeepsItsFirstTerms() {
    try (PassageIndex index = PassageIndex.build(CORPUS, 0.9, 0.4)) {
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        q.append("word").append(i).append(' ');
      }
      assertEquals(PassageIndex.MAX_TERMS, index.terms(q.toString()).size());
      assertTrue(index.search(q + " venn", 3).isEmpty(), "venn is past the first terms");
    }
  }

  @Test
  void vectorsLiveInTheSameIndexAndAPassageWithoutOneIsNeverNearest() {
    List<float[]> vectors = List.of(new float[] {1, 0}, new float[] {0, 0}, new float[] {0.6f, 0.8f});
    try (PassageIndex index = PassageIndex.build(CORPUS, 0.9, 0.4, vectors)) {
      assertEquals(2, index.dimension());
      assertEquals(List.of(2, 0), index.nearest(new float[] {0, 1}, 3).stream().map(PassageIndex.Hit::passage).toList(),
          "passage 1's zero vector is not indexed");
      assertEquals(1.0f, index.nearest(new float[] {3, 0}, 1).get(0).score(), 1e-6f, "cosine: (1 + 1) / 2");
      assertTrue(index.nearest(new float[] {0, 0}, 3).isEmpty());
      assertEquals(2, index.search("Ana Venn born", 1).get(0).passage(), "BM25 works beside the vectors");
    }
  }

  @Test
  void badVectorsAreRefusedNamingWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PassageIndex.build(CORPUS, 0.9, 0.4, List.of(new float[] {1, 0}, new float[] {1})));
    assertTrue(e.getMessage().contains("2 vectors for 3 passages"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PassageIndex.build(CORPUS, 0.9, 0.4,
        List.of(new float[] {1, 0}, new float[] {1}, new float[] {1, 1})));
    assertTrue(e.getMessage().contains("passage 1 has 1 dimensions, not 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PassageIndex.build(CORPUS, 0.9, 0.4,
        List.of(new float[] {1, 0}, new float[] {Float.NaN, 0}, new float[] {1, 1})));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    try (PassageIndex bm25 = PassageIndex.build(CORPUS, 0.9, 0.4)) {
      assertThrows(IllegalStateException.class, () -> bm25.nearest(new float[] {1, 0}, 1));
    }
  }
}
