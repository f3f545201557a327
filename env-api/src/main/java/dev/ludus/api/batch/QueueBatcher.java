package dev.ludus.api.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@link Batcher}: a queue under one lock and a drain task.
 *
 * <p>Design: {@link #submit} queues the item and, when no drain task is scheduled, hands one to the
 * executor (a dedicated single thread by default). The drain task takes the oldest item, waits on a
 * condition for more until the batch is full or {@code maxWait} has passed, runs the batch outside the
 * lock, and loops while items are queued; with none it ends, and the next submit schedules a new one. At
 * most one drain task exists at a time (the {@code scheduled} flag), so batches never overlap. Close
 * wakes a gathering task, which then fails what it gathered instead of running it.
 */
final class QueueBatcher<I, O> implements Batcher<I, O> {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long CLOSE_WAIT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private record Pending<I, O>(I item, CompletableFuture<O> future) {}

  private final String name;
  private final Function<List<I>, List<O>> run;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final Executor executor;
  private final ExecutorService owned;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
  // guarded by lock
  private boolean scheduled;
  private boolean closed;
  private long batches;
  private long items;
  private int largestBatch;
  private volatile Thread drainer;

  QueueBatcher(String name, Function<List<I>, List<O>> run, int maxBatch, long maxWaitNanos, Executor executor) {
    this.name = name;
    this.run = run;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWaitNanos;
    if (executor == null) {
      this.owned = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.executor = owned;
    } else {
      this.owned = null;
      this.executor = executor;
    }
  }

  @Override
  public CompletionStage<O> submit(I item) {
    CompletableFuture<O> future = new CompletableFuture<>();
    boolean start;
    lock.lock();
    try {
      if (closed) {
        future.completeExceptionally(closedError());
        return future;
      }
      queue.add(new Pending<>(item, future));
      arrived.signal();
      start = !scheduled;
      scheduled = true;
    } finally {
      lock.unlock();
    }
    if (start) {
      schedule();
    }
    return future;
  }

  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      List<Pending<I, O>> dropped;
      lock.lock();
      try {
        scheduled = false;
        dropped = new ArrayList<>(queue);
        queue.clear();
        idle.signalAll();
      } finally {
        lock.unlock();
      }
      IllegalStateException err = new IllegalStateException("batcher '" + name + "' could not run: its executor "
          + "refused the task (" + e + ")");
      dropped.forEach(p -> p.future().completeExceptionally(err));
    }
  }

  /** Runs batches while items are queued; the one drain task (see the design note). */
  private void drain() {
    drainer = Thread.currentThread();
    List<Pending<I, O>> batch = new ArrayList<>(Math.min(maxBatch, 256));
    try {
      while (true) {
        boolean stopped;
        lock.lock();
        try {
          if (queue.isEmpty() || closed) {
            scheduled = false;
            idle.signalAll();
            return;
          }
          batch.add(queue.poll());
          long left = maxWaitNanos;
          while (!closed) {
            while (batch.size() < maxBatch && !queue.isEmpty()) {
              batch.add(queue.poll());
            }
            if (batch.size() >= maxBatch || left <= 0) {
              break;
            }
            left = arrived.awaitNanos(left);
          }
          stopped = closed;
          if (!stopped) {
            batches++;
            items += batch.size();
            largestBatch = Math.max(largestBatch, batch.size());
          }
        } finally {
          lock.unlock();
        }
        if (stopped) {
          IllegalStateException err = closedError();
          batch.forEach(p -> p.future().completeExceptionally(err));
        } else {
          runBatch(batch);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      IllegalStateException err = new IllegalStateException("batcher '" + name + "' was interrupted");
      batch.forEach(p -> p.future().completeExceptionally(err));
      boolean again;
      lock.lock();
      try {
        again = !closed && !queue.isEmpty();
        scheduled = again;
        idle.signalAll();
      } finally {
        lock.unlock();
      }
      Thread.currentThread().interrupt();
      if (again) {
        schedule();
      }
    } finally {
      drainer = null;
    }
  }

  private void runBatch(List<Pending<I, O>> batch) {
    List<O> results;
    try {
      List<I> input = new ArrayList<>(batch.size());
      batch.forEach(p -> input.add(p.item()));
      results = run.apply(input);
      if (results == null || results.size() != batch.size()) {
        throw new IllegalStateException("batcher '" + name + "': the batch function returned "
            + (results == null ? "null" : results.size() + " results") + " for " + batch.size() + " items");
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.future().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).future().complete(results.get(i));
    }
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("batcher '" + name + "' is closed");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Statistics statistics() {
    lock.lock();
    try {
      return new Statistics(batches, items, largestBatch);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    List<Pending<I, O>> dropped;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    IllegalStateException err = closedError();
    dropped.forEach(p -> p.future().completeExceptionally(err));
    if (Thread.currentThread() != drainer) {
      lock.lock();
      try {
        long left = CLOSE_WAIT_NANOS;
        while (scheduled && left > 0) {
          left = idle.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }
    if (owned != null) {
      owned.shutdown();
    }
  }

  @Override
  public String toString() {
    return "batcher '" + name + "' (maxBatch " + maxBatch + ", maxWait " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
        + " ms)";
  }
}
