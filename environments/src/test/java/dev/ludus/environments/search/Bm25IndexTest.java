package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {
  static final List<Passage> CORPUS = List.of(
      new Passage("0", "Harbor Lights", List.of("Harbor Lights is a 1987 film.", "It was directed by Ana Venn.")),
      new Passage("1", "Harbor Lights Returns", List.of("Harbor Lights Returns is a 2001 film about a harbor and its "
          + "lights and the harbor town, a long film.")),
      new Passage("2", "Ana Venn", List.of("Ana Venn is a film director.", "Ana Venn was born in 1950.")));

  @Test
  void theBestPassagesComeFirstAndTopKIsHonoured() {
    try (Bm25Index index = Bm25Index.build(CORPUS, 0.9, 0.4)) {
      assertEquals(2, index.search("Ana Venn born", 1).get(0).passage());
      assertEquals(2, index.search("harbor", 2).size());
      assertTrue(index.search("the of and", 3).isEmpty(), "stop words only: no query terms");
      assertTrue(index.search("zzzz", 3).isEmpty());
    }
  }

  @Test
  void k1AndBChangeTheScores() {
    try (Bm25Index a = Bm25Index.build(CORPUS, 0.9, 0.4); Bm25Index b = Bm25Index.build(CORPUS, 1.2, 0.75);
         Bm25Index c = Bm25Index.build(CORPUS, 0.9, 0.0)) {
      float sa = a.search("harbor", 1).get(0).score();
      assertNotEquals(sa, b.search("harbor", 1).get(0).score());
      assertNotEquals(sa, c.search("harbor", 1).get(0).score());
      // b = 0: no length normalisation, so the long passage saying "harbor" three times wins
      assertEquals(1, c.search("harbor", 1).get(0).passage());
    }
  }

  @Test
  void aVeryLongQueryKeepsItsFirstTerms() {
    try (Bm25Index index = Bm25Index.build(CORPUS, 0.9, 0.4)) {
      StringBuilder q = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        q.append("word").append(i).append(' ');
      }
      assertEquals(Bm25Index.MAX_TERMS, index.terms(q.toString()).size());
      assertTrue(index.search(q + " venn", 3).isEmpty(), "venn is past the first terms");
    }
  }
}
