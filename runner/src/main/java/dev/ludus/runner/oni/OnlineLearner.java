package dev.ludus.runner.oni;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Online training on examples that arrive one by one (the annotator's labels or preferences): each arrival schedules
 * a training round on the executor (the run's worker pool) unless one is pending; a round moves the new examples into
 * a bounded buffer (the oldest dropped) and takes {@code steps} steps per minibatch of new examples (at least
 * {@code steps}), each on a minibatch sampled from the buffer.
 * Rounds never overlap, so the buffer needs no lock. A failing step is kept as {@link #lastError} and the next
 * arrival tries again. Thread-safe; {@link #offer} never blocks.
 *
 * @param <E> an example
 */
final class OnlineLearner<E> {
  private final Executor executor;
  private final Consumer<List<E>> step;
  private final int capacity;
  private final int minibatch;
  private final int steps;
  private final ConcurrentLinkedQueue<E> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final List<E> buffer = new ArrayList<>();
  private final Random random = new Random(0);
  private volatile int examples;
  private volatile long rounds;
  private volatile RuntimeException lastError;

  OnlineLearner(Executor executor, Consumer<List<E>> step, int capacity, int minibatch, int steps) {
    this.executor = executor;
    this.step = step;
    this.capacity = capacity;
    this.minibatch = minibatch;
    this.steps = steps;
  }

  /** Queues {@code example} for training. */
  void offer(E example) {
    incoming.add(example);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::round);
    }
  }

  private void round() {
    try {
      int arrived = 0;
      for (E e; (e = incoming.poll()) != null; arrived++) {
        buffer.add(e);
      }
      if (buffer.size() > capacity) {
        buffer.subList(0, buffer.size() - capacity).clear();
      }
      examples = buffer.size();
      int total = steps * Math.max(1, (arrived + minibatch - 1) / minibatch);
      for (int s = 0; s < total && !buffer.isEmpty(); s++) {
        List<E> batch;
        if (buffer.size() <= minibatch) {
          batch = List.copyOf(buffer);
        } else {
          batch = new ArrayList<>(minibatch);
          for (int i = 0; i < minibatch; i++) {
            batch.add(buffer.get(random.nextInt(buffer.size())));
          }
        }
        step.accept(batch);
      }
    } catch (RuntimeException e) {
      lastError = e;
    } finally {
      rounds++;
      scheduled.set(false);
      if (!incoming.isEmpty()) {
        schedule();
      }
    }
  }

  /** The examples in the buffer after the latest round. */
  int examples() {
    return examples;
  }

  /** Whether no round is running or pending. */
  boolean idle() {
    return !scheduled.get() && incoming.isEmpty();
  }

  /** Training rounds run so far. */
  long rounds() {
    return rounds;
  }

  /** The latest round's failure, or null. */
  RuntimeException lastError() {
    return lastError;
  }
}
