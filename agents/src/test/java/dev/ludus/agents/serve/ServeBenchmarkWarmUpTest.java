package dev.ludus.agents.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When auto warm-up ends, and the JVM threads' CPU the benchmark reads from Linux. */
class ServeBenchmarkWarmUpTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void idleCompilersDoNotEndTheWarmUpBeforeEachSideSentEnoughRequestsForTheOptimisingJit() {
    int requests = ServeBenchmark.MIN_AUTO_WARMUP_REQUESTS;
    int idle = ServeBenchmark.IDLE_PAIRS;
    assertFalse(ServeBenchmark.warmedUp(30, requests - 64, idle, 10 * SECOND),
        "the per-request path has not reached the optimising compiler yet");
    assertTrue(ServeBenchmark.warmedUp(200, requests, idle, 10 * SECOND));
    assertFalse(ServeBenchmark.warmedUp(ServeBenchmark.MIN_AUTO_WARMUP_PAIRS - 1, 10 * requests, idle, SECOND),
        "too few pairs to trust the compilers' share");
  }

  @Test
  void oneIdlePairIsNotEnoughSinceACompilationCountsOnlyWhenItEnds() {
    int requests = ServeBenchmark.MIN_AUTO_WARMUP_REQUESTS;
    assertFalse(ServeBenchmark.warmedUp(200, requests, 1, 10 * SECOND));
    assertFalse(ServeBenchmark.warmedUp(200, requests, ServeBenchmark.IDLE_PAIRS - 1, 10 * SECOND));
    assertTrue(ServeBenchmark.warmedUp(200, requests, ServeBenchmark.IDLE_PAIRS, 10 * SECOND));
  }

  @Test
  void theTimeLimitEndsTheWarmUpWhateverElse() {
    long limit = TimeUnit.SECONDS.toNanos(ServeBenchmark.AUTO_WARMUP_SECONDS);
    assertTrue(ServeBenchmark.warmedUp(3, 64, 0, limit + 1));
    assertFalse(ServeBenchmark.warmedUp(3, 64, 0, limit - SECOND));
  }

  @Test
  void threadNamesAreGroupedIntoJitCompilersAndGcOrVmThreads() {
    assertEquals(0, JvmThreadCpu.group("C2 CompilerThre"));
    assertEquals(0, JvmThreadCpu.group("C1 CompilerThre"));
    assertEquals(1, JvmThreadCpu.group("GC Thread#0"));
    assertEquals(1, JvmThreadCpu.group("G1 Young RemSet"));
    assertEquals(1, JvmThreadCpu.group("VM Thread"));
    assertEquals(-1, JvmThreadCpu.group("serve-worker"));
    assertEquals(-1, JvmThreadCpu.group("vert.x-eventloo"));
  }

  @Test
  void onLinuxTheJitCompilersHaveUsedCpuByTheTimeATestRuns() {
    assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task")), "Linux only");
    long[] cpu = JvmThreadCpu.nanos();
    assertTrue(cpu[0] > 0, "JUnit and this test were compiled by the JIT: " + cpu[0]);
    assertTrue(cpu[1] >= 0, "GC and VM: " + cpu[1]);
  }
}
