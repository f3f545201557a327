package dev.ludus.runner.scoring;

import java.util.concurrent.atomic.LongAdder;

/**
 * The time the policy-derived scorers of this JVM spent in their batches (rendering ids and forward passes, on their
 * batchers' worker threads), for {@code ludus bench scoring}: batches of one batcher run one at a time, so this is
 * the scoring worker's busy time, never more than the wall time per batcher. Thread-safe.
 */
public final class ScoringClock {
  private static final LongAdder BUSY = new LongAdder();
  private static final LongAdder ITEMS = new LongAdder();

  private ScoringClock() {}

  /** Nanoseconds spent in scoring batches since the JVM started. */
  public static long busyNanos() {
    return BUSY.sum();
  }

  /** Spans (or groups, for the learning scorers) scored since the JVM started. */
  public static long items() {
    return ITEMS.sum();
  }

  static void add(long nanos, int items) {
    BUSY.add(nanos);
    ITEMS.add(items);
  }
}
