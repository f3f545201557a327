package dev.ludus.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The faulty-server check of issue 16, small and fast: the same fault mix, fewer episodes and shorter timeouts
 * (a hang costs one request timeout, 2 s: the server is a process of its own, and a loaded machine must not make
 * every answer late), and a breaker that opens after two failures so that it opens in every run.
 */
class FaultBenchmarkTest {

  @Test
  void theCircuitBreakerNoLongerDestroysRunsAgainstAFaultyServer() throws Exception {
    FaultBenchmark.Options options = new FaultBenchmark.Options(240, 48, 3, "0.05",
        b -> b.requestTimeoutMillis(2_000).backoffBaseMillis(5).backoffMaxMillis(40).breakerMaxFailures(2)
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
  void whileOpenCountsArrivalsInsideTheSpansAndWhatTheServerHeldWhenOneBegan() {
    // two requests held before the span [10, 20); one more arrives inside it, one answered; one arrives after it
    List<long[]> traffic = List.of(new long[] {1, 1}, new long[] {2, 1}, new long[] {12, 1}, new long[] {15, -1},
        new long[] {25, 1});
    long[] r = FaultBenchmark.whileOpen(traffic, List.of(new long[] {10, 20}));
    assertEquals(1, r[0], "arrived while open");
    assertEquals(3, r[1], "most held while open");
    long[] none = FaultBenchmark.whileOpen(traffic, List.of());
    assertEquals(0, none[0]);
    assertEquals(0, none[1]);
  }
}
