package dev.ludus.agents.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The serve benchmark runs and compares like with like (a smoke test: no timing is asserted). */
class ServeBenchmarkTest {
  @Test
  void bothSidesGenerateTheSameTokensAndTheRatioIsTheirRateQuotient() {
    ServeBenchmark.Result r = ServeBenchmark.run(new ServeBenchmark.Options(4, 3, 1));
    assertTrue(r.tokens() >= 4 && r.tokens() <= 12, "4 requests of at most 3 tokens: " + r.tokens());
    assertEquals(r.servedTokensPerSecond() / r.inProcessTokensPerSecond(), r.ratio(), 1e-9);
    assertTrue(r.format().contains("ratio"), r.format());
  }
}
