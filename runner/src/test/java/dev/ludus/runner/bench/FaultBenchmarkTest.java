package dev.ludus.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The faulty-server check of issue 16, small and fast: the same fault mix, fewer episodes and shorter timeouts
 * (a hang costs one request timeout), and a breaker that opens after two failures so that it opens in every run.
 */
class FaultBenchmarkTest {

  @Test
  void theCircuitBreakerNoLongerDestroysRunsAgainstAFaultyServer() throws Exception {
    FaultBenchmark.Options options = new FaultBenchmark.Options(240, 48, 3, "0.05",
        b -> b.requestTimeoutMillis(400).backoffBaseMillis(5).backoffMaxMillis(40).breakerMaxFailures(2)
            .breakerOpenMillis(150), 20_000);
    FaultBenchmark.Result r = FaultBenchmark.run(Registry.load(), options);
    assertEquals(240, r.summary().episodes());
    assertTrue(r.notFailedShare() >= 0.95, "at least 95% completed or truncated:\n" + r.format());
    assertTrue(r.client().breakerWaits() > 0, "the breaker opened and turns waited for it:\n" + r.format());
    assertFalse(r.failureReasons().containsKey("openai/circuit-open"),
        "no turn failed because the breaker was open:\n" + r.format());
    assertTrue(r.injected().getOrDefault("hang", 0L) > 0 && r.injected().getOrDefault("500", 0L) > 0,
        "the mix was served:\n" + r.format());
  }

  @Test
  void theMixIsTheOneSpecifiedBySeedAndIndex() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(FaultBenchmark.category(7, i), 1, Integer::sum);
    }
    assertEquals(60_000, counts.get("ok"), 1_000);
    assertEquals(10_000, counts.get("500"), 600);
    assertEquals(10_000, counts.get("429"), 600);
    assertEquals(5_000, counts.get("malformed-json"), 500);
    assertEquals(5_000, counts.get("truncated-body"), 500);
    assertEquals(2_000, counts.get("hang"), 300);
    assertEquals(8_000, counts.get("tool-call"), 600);
    assertEquals(FaultBenchmark.category(7, 42), FaultBenchmark.category(7, 42));
  }
}
