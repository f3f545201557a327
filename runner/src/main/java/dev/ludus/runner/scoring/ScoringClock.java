package dev.ludus.runner.scoring;

import java.util.concurrent.atomic.LongAdder;

/**
 * The time the policy-derived scorers of this JVM spent in their batches (rendering ids and forward passes, on their
 * batchers' worker threads), for {@code ludus bench scoring}: batches of one batcher run one at a time, so this is
 * the scoring worker's busy time, never more than the wall time per batcher; and the CPU time of the worker thread
 * in them (all of the batches' CPU when PyTorch runs them with one intra-op thread, the {@link ScoringWorker}'s
 * default; without the intra-op team's other threads otherwise). Thread-safe.
 */
public final class ScoringClock {
  private static final LongAdder BUSY = new LongAdder();
  private static final LongAdder ITEMS = new LongAdder();
  private static final LongAdder CPU = new LongAdder();
  private static final LongAdder CUT = new LongAdder();
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private ScoringClock() {}

  /** Nanoseconds spent in scoring batches since the JVM started. */
  public static long busyNanos() {
    return BUSY.sum();
  }

  /** CPU nanoseconds of the scoring threads in their batches since the JVM started (0 where the JVM does not say). */
  public static long cpuNanos() {
    return CPU.sum();
  }

  /** The calling thread's CPU time in nanoseconds, or 0 where the JVM does not measure it. */
  static long threadCpu() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? Math.max(0, THREADS.getCurrentThreadCpuTime()) : 0;
  }

  /** Spans (or groups, for the learning scorers) scored since the JVM started. */
  public static long items() {
    return ITEMS.sum();
  }

  /**
   * Spans computed since the JVM started whose prompt was longer than the model's context, so kept only its end: such
   * a span shares no prefix with the others (positions are absolute), and packing saves nothing on it.
   */
  public static long cut() {
    return CUT.sum();
  }

  static void addCut(int spans) {
    CUT.add(spans);
  }

  static void add(long nanos, long cpuNanos, int items) {
    BUSY.add(nanos);
    CPU.add(cpuNanos);
    ITEMS.add(items);
  }
}
