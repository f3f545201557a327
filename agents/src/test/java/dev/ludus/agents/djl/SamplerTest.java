package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final float[] LOGITS = {1.0f, 3.0f, 2.0f, 3.0f, -1.0f};

  private static Map<Integer, Integer> counts(Sampling s, int draws) {
    SplittableRandom rng = new SplittableRandom(42);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < draws; i++) {
      counts.merge(Sampler.choose(LOGITS, 0, LOGITS.length, s, rng).token(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void greedyTakesTheLargestLogitAndTheLowerIdOnATie() {
    Sampler.Choice c = Sampler.choose(LOGITS, 0, LOGITS.length, Sampling.GREEDY, new SplittableRandom(1));
    assertEquals(1, c.token());
    assertEquals(3.0 - Sampler.logSumExp(LOGITS, 0, LOGITS.length, 1.0), c.logProb(), 1e-6);
  }

  @Test
  void topKSamplesOnlyAmongTheKMostLikelyTokens() {
    assertEquals(Set.of(1, 3), counts(new Sampling(1, 2, 1), 2000).keySet());
  }

  @Test
  void topPKeepsTheSmallestNucleusReachingP() {
    // probabilities: ids 1 and 3 ~0.38 each, id 2 ~0.14; 0.5 needs two tokens, 0.8 needs three
    assertEquals(Set.of(1, 3), counts(new Sampling(1, 0, 0.5), 2000).keySet());
    assertEquals(Set.of(1, 2, 3), counts(new Sampling(1, 0, 0.8), 2000).keySet());
  }

  @Test
  void reportedLogProbIsThatOfTheRenormalizedSamplingDistribution() {
    Sampler.Choice c = Sampler.choose(LOGITS, 0, LOGITS.length, new Sampling(1, 2, 1), new SplittableRandom(3));
    assertEquals(Math.log(0.5), c.logProb(), 1e-6, "two equally likely tokens kept");
    Sampler.Choice hot = Sampler.choose(LOGITS, 0, LOGITS.length, new Sampling(2, 0, 1), new SplittableRandom(3));
    assertEquals(LOGITS[hot.token()] / 2.0 - Sampler.logSumExp(LOGITS, 0, LOGITS.length, 2.0), hot.logProb(), 1e-6);
  }

  @Test
  void samplingFrequenciesFollowTheSoftmax() {
    Map<Integer, Integer> counts = counts(new Sampling(1, 0, 1), 20_000);
    double lse = Sampler.logSumExp(LOGITS, 0, LOGITS.length, 1.0);
    for (int id = 0; id < LOGITS.length; id++) {
      double expected = Math.exp(LOGITS[id] - lse);
      assertEquals(expected, counts.getOrDefault(id, 0) / 20_000.0, 0.015, "token " + id);
    }
  }

  @Test
  void excludedIdsAreNeverChosenInAnyModeAndTheLogProbIsOverTheOthers() {
    // ids 1 and 3 are the most likely; exclude them
    for (Sampling s : new Sampling[] {Sampling.GREEDY, new Sampling(1, 0, 1), new Sampling(3, 0, 1),
        new Sampling(1, 2, 1), new Sampling(1, 0, 0.9)}) {
      SplittableRandom rng = new SplittableRandom(5);
      for (int i = 0; i < 500; i++) {
        float[] row = LOGITS.clone();
        Sampler.exclude(row, 0, new int[] {1, 3});
        Sampler.Choice c = Sampler.choose(row, 0, row.length, s, rng);
        assertTrue(c.token() != 1 && c.token() != 3, s + " chose excluded id " + c.token());
        assertTrue(Float.isFinite(c.logProb()) && c.logProb() <= 0, s + ": " + c.logProb());
      }
    }
    float[] row = LOGITS.clone();
    Sampler.exclude(row, 0, new int[] {1, 3});
    Sampler.Choice c = Sampler.choose(row, 0, row.length, new Sampling(1, 0, 1), new SplittableRandom(9));
    double lse = Math.log(Math.exp(1.0) + Math.exp(2.0) + Math.exp(-1.0));
    assertEquals(LOGITS[c.token()] - lse, c.logProb(), 1e-6, "renormalized over ids 0, 2 and 4");
  }

  @Test
  void topOrderIsLargestFirstWithTheLowerIdFirstAmongEquals() {
    assertArrayEquals(new int[] {1, 3, 2}, Sampler.topOrder(LOGITS, 0, LOGITS.length, 3));
    assertArrayEquals(new int[] {1, 3, 2, 0, 4}, Sampler.topOrder(LOGITS, 0, LOGITS.length, 5));
  }

  @Test
  void samplingRejectsOutOfRangeValuesNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampling(-1, 0, 1)).getMessage()
        .startsWith("temperature must be in [0, 100]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampling(1, -2, 1)).getMessage()
        .startsWith("topK must be >= 0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 0)).getMessage()
        .startsWith("topP must be in (0, 1]"));
  }
}
