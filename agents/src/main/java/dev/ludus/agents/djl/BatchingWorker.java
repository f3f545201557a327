package dev.ludus.agents.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Gathers generation requests from many episodes into batches and runs them on one dedicated thread, never
 * on a caller's thread.
 *
 * <p>Policy: the worker blocks for a first request, then collects more until it has {@code maxBatch} or
 * {@code maxWaitMillis} have passed since the first arrived, and runs the batch. Requests that arrive while a
 * batch runs wait for the next one, which then starts at once with everything queued. Futures are completed
 * on the worker thread (so a non-async continuation runs there: keep continuations short).
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread. Life-cycle: the owner closes it; close
 * lets a running batch finish, fails every queued request with an {@link IllegalStateException} and stops
 * the thread. Idempotent.
 */
final class BatchingWorker<Q, R> implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private record Pending<Q, R>(Q request, CompletableFuture<R> future) {}

  private final BlockingQueue<Pending<Q, R>> queue = new LinkedBlockingQueue<>();
  private final Function<List<Q>, List<R>> run;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final Thread thread;
  private final AtomicInteger largestBatch = new AtomicInteger();
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean closed;

  BatchingWorker(String name, int maxBatch, long maxWaitMillis, Function<List<Q>, List<R>> run) {
    this.run = run;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.thread = new Thread(this::loop, name + "-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code request}; the future completes on the worker thread with its result or its batch's error. */
  CompletableFuture<R> submit(Q request) {
    CompletableFuture<R> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(new IllegalStateException("the agent is closed"));
      return future;
    }
    queue.add(new Pending<>(request, future));
    if (closed) {
      failQueued();
    }
    return future;
  }

  /** The largest batch run so far (for tests and metrics). */
  int largestBatch() {
    return largestBatch.get();
  }

  /** How many batches ran so far. */
  long batches() {
    return batches.get();
  }

  /** The worker thread's name. */
  String threadName() {
    return thread.getName();
  }

  private void loop() {
    List<Pending<Q, R>> batch = new ArrayList<>(maxBatch);
    try {
      while (!closed) {
        batch.add(queue.take());
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
          queue.drainTo(batch, maxBatch - batch.size());
          long left = deadline - System.nanoTime();
          if (batch.size() >= maxBatch || left <= 0) {
            break;
          }
          Pending<Q, R> p = queue.poll(left, TimeUnit.NANOSECONDS);
          if (p == null) {
            break;
          }
          batch.add(p);
        }
        runBatch(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Pending<Q, R> p : batch) {
        p.future().completeExceptionally(new IllegalStateException("the agent is closed"));
      }
      failQueued();
    }
  }

  private void runBatch(List<Pending<Q, R>> batch) {
    largestBatch.accumulateAndGet(batch.size(), Math::max);
    batches.incrementAndGet();
    try {
      List<R> results = run.apply(batch.stream().map(Pending::request).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future().complete(results.get(i));
      }
    } catch (RuntimeException | Error e) {
      for (Pending<Q, R> p : batch) {
        p.future().completeExceptionally(e);
      }
    }
  }

  private void failQueued() {
    Pending<Q, R> p;
    while ((p = queue.poll()) != null) {
      p.future().completeExceptionally(new IllegalStateException("the agent is closed"));
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}
