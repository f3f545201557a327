package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * The leak test in small (the full 1,000 sessions and 50,000 steps is {@code ludus bench serve-env}): many sessions
 * at once, a fifth of them dying half-way (TCP dropped without a close frame, or silent with the connection open),
 * and every slot free at the end.
 */
class ServeLoadTest {
  @Test
  void droppedAndSilentConnectionsHalfWayLeakNoSlot() throws Exception {
    int sessions = 60;
    int steps = 1_200;
    ServeBenchmark.Result r = ServeBenchmark.run(Registry.load(),
        new ServeBenchmark.Config("guess-number", null, null, sessions, steps, 0.2, 1_000));
    assertEquals(0, r.leaked(), "slots still held at the end: " + r.describe());
    assertEquals(0, r.errors(), r.describe());
    assertEquals(sessions, r.opened(), r.describe());
    int dropping = 12;
    assertEquals(steps, r.expectedSteps());
    assertEquals(steps, r.steps(), "every session plays its quota, a dying one half a clean one's: " + r.describe());
    assertEquals(0, r.blockedWarnings(), "the blocked-thread checker fired: " + r.describe());
    assertEquals(java.util.Map.of("clean", (long) sessions - dropping, "disconnected", (long) dropping / 2,
        "unresponsive", (long) dropping / 2), r.closedBy(), "each session closed for its own reason: " + r.describe());
  }
}
