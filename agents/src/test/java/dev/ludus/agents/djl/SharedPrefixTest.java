package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch whose prompts begin alike computes their common prefix once: each sequence still gets the tokens and
 * log-probs it gets alone (up to float rounding), and the prefix is what the generator says it saved.
 */
class SharedPrefixTest {
  private static final float TOLERANCE = 1e-4f;
  private static LanguageModel model;
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void build() {
    tokenizer = DjlLmFixtures.tokenizer();
    model = DjlLmFixtures.model(5, 96);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** {@code n} prompts: one shared opening of {@code prefix} tokens, then tails of different lengths (0 included). */
  private static List<int[]> prompts(int n, int prefix, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] opening = new int[prefix];
    for (int i = 0; i < prefix; i++) {
      opening[i] = 4 + rng.nextInt(tokenizer.vocabSize() - 4);
    }
    List<int[]> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int[] p = java.util.Arrays.copyOf(opening, prefix + (b * 7) % 13);
      for (int i = prefix; i < p.length; i++) {
        p[i] = 4 + rng.nextInt(tokenizer.vocabSize() - 4);
      }
      out.add(p);
    }
    return out;
  }

  private static List<Generator.Result> generate(Generator g, List<int[]> prompts, Sampling sampling) {
    List<Generator.Request> requests = new ArrayList<>();
    for (int b = 0; b < prompts.size(); b++) {
      requests.add(new Generator.Request(prompts.get(b), sampling, 100 + b, 6, List.of()));
    }
    return g.generate(requests);
  }

  private static void assertBatchedEqualsAlone(Sampling sampling, List<int[]> prompts, int expectedShared) {
    Generator batched = new Generator(model, tokenizer);
    List<Generator.Result> together = generate(batched, prompts, sampling);
    assertEquals((long) expectedShared * (prompts.size() - 1), batched.sharedPrefixTokens(),
        "the batch computes its shared prefix once");
    for (int b = 0; b < prompts.size(); b++) {
      Generator single = new Generator(model, tokenizer);
      // alone, with the seed it had in the batch
      Generator.Result replay = single.generate(List.of(new Generator.Request(prompts.get(b), sampling, 100 + b, 6,
          List.of()))).get(0);
      assertEquals(0, single.sharedPrefixTokens(), "a batch of one shares nothing");
      assertArrayEquals(replay.promptIds(), together.get(b).promptIds(), "sequence " + b);
      assertArrayEquals(replay.outputIds(), together.get(b).outputIds(), "sequence " + b);
      assertArrayEquals(replay.logProbs(), together.get(b).logProbs(), TOLERANCE, "sequence " + b);
      assertEquals(replay.finishReason(), together.get(b).finishReason(), "sequence " + b);
    }
  }

  @Test
  void greedyBatchWithACommonOpeningGivesEachSequenceItsTokensAndLogProbsAlone() {
    List<int[]> p = prompts(4, 20, 1);
    assertBatchedEqualsAlone(Sampling.GREEDY, p, 19); // the first prompt is the opening alone: all but its last token
  }

  @Test
  void sampledBatchWithACommonOpeningGivesEachSequenceItsTokensAndLogProbsAlone() {
    List<int[]> p = prompts(5, 30, 2);
    assertBatchedEqualsAlone(new Sampling(1.0, 0, 1.0), p, 29);
  }

  @Test
  void identicalPromptsShareAllButTheirLastToken() {
    int[] same = prompts(1, 25, 3).get(0);
    assertBatchedEqualsAlone(new Sampling(0.7, 0, 1.0), List.of(same, same.clone(), same.clone(), same.clone()), 24);
  }

  @Test
  void sharedPrefixIsTheLongestCommonPrefixLessTheLastTokenOfTheShortestAndZeroWhenShort() {
    assertEquals(0, Generator.sharedPrefix(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}), "one prompt");
    int[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    int[] b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13};
    assertEquals(10, Generator.sharedPrefix(new int[][] {a, b}));
    assertEquals(10, Generator.sharedPrefix(new int[][] {a, a.clone()}), "the last token stays each sequence's own");
    assertEquals(0, Generator.sharedPrefix(new int[][] {a, {1, 2, 3, 9}}), "below the minimum");
    assertEquals(0, Generator.sharedPrefix(new int[][] {a, {2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}));
  }

  @Test
  void aFirstPassInChunksOfRowsGivesTheTokensAndLogProbsOfOnePass() {
    List<int[]> p = prompts(5, 12, 6);
    p.add(prompts(1, 9, 7).get(0)); // no shared prefix: the plain layout
    Sampling sampling = new Sampling(1.0, 0, 1.0);
    for (List<int[]> batch : List.of(p.subList(0, 5), p)) {
      List<Generator.Result> whole = generate(new Generator(model, tokenizer), batch, sampling);
      BaseNDManager manager = (BaseNDManager) model.manager();
      int before = manager.getManagedArrays().size();
      Generator chunked = new Generator(model, tokenizer, null, 1); // one row per chunk
      List<Generator.Result> rows = generate(chunked, batch, sampling);
      assertEquals(before, manager.getManagedArrays().size(), "no array left behind");
      for (int b = 0; b < batch.size(); b++) {
        assertArrayEquals(whole.get(b).outputIds(), rows.get(b).outputIds(), "sequence " + b);
        assertArrayEquals(whole.get(b).logProbs(), rows.get(b).logProbs(), TOLERANCE, "sequence " + b);
      }
    }
    assertTrue(Generator.firstPassRows(128, 4, 400, 736, Generator.FIRST_PASS_SCORES) < 128,
        "long histories are split");
    assertEquals(128, Generator.firstPassRows(128, 4, 60, 165, Generator.FIRST_PASS_SCORES),
        "the training default's turns are one pass");
  }

  @Test
  void aSharedPrefixBatchLeavesNoArraysBehind() {
    BaseNDManager manager = (BaseNDManager) model.manager();
    int before = manager.getManagedArrays().size();
    Generator g = new Generator(model, tokenizer);
    generate(g, prompts(5, 16, 4), new Sampling(1.0, 0, 1.0));
    assertTrue(g.sharedPrefixTokens() > 0);
    assertEquals(before, manager.getManagedArrays().size());
  }
}
