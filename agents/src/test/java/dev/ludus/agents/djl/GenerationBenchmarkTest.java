package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenerationBenchmarkTest {
  @Test
  void aSmallRunMeasuresBothModesOnTheSameWork() {
    GenerationBenchmark.Result r = GenerationBenchmark.run(4, 3);
    assertEquals(r.batchedTokens(), r.unbatchedTokens(), "same seeds, same tokens");
    assertTrue(r.batchedTokens() >= 4 && r.batchedTokens() <= 12);
    assertTrue(r.largestBatch() > 1, "the batched run must batch, largest batch " + r.largestBatch());
    assertTrue(r.ratio() > 0 && Double.isFinite(r.ratio()));
    assertTrue(r.summary().contains("ratio"));
  }

  @Test
  void theMultiTurnComparisonDoesTheSameWorkAndComputesFewerPromptTokensWithTheCache() {
    GenerationBenchmark.MultiTurn m = GenerationBenchmark.multiTurn(2, 3, 2);
    assertTrue(m.outputTokens() >= 6 && m.outputTokens() <= 12, m.summary());
    assertTrue(m.computedPromptTokens() < m.promptTokens() / 2,
        "later turns read their history from the cache: " + m.summary());
    assertTrue(m.ratio() > 0 && Double.isFinite(m.ratio()), m.summary());
    assertTrue(m.summary().contains("ratio"));
  }
}
