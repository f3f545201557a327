package dev.ludus.agents.openai;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * At most {@code max} requests in flight; the rest wait in a FIFO queue without holding a thread. A waiting
 * task runs on {@code dispatcher} when a permit frees up. Thread-safe.
 */
final class ConcurrencyLimiter {
  private final int max;
  private final Executor dispatcher;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private int maxObserved;

  ConcurrencyLimiter(int max, Executor dispatcher) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
    this.dispatcher = dispatcher;
  }

  /** Runs {@code task} now if a permit is free (on this thread), else when one frees up. */
  void acquire(Runnable task) {
    synchronized (this) {
      if (inFlight >= max) {
        waiting.addLast(task);
        return;
      }
      inFlight++;
      maxObserved = Math.max(maxObserved, inFlight);
    }
    task.run();
  }

  /** Gives a permit back; hands it straight to the oldest waiting task, if any. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    dispatcher.execute(next);
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  synchronized int maxObserved() {
    return maxObserved;
  }
}
