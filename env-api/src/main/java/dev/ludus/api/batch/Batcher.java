package dev.ludus.api.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Gathers items submitted from many threads (the turns of many episodes, of many groups) into batches and
 * runs each batch with one call, off the callers' threads: what a model scorer or an in-process model
 * needs to share forward passes.
 *
 * <p>Policy: a batch starts with the oldest queued item, then takes more until it holds {@code maxBatch}
 * items or {@code maxWait} has passed since it started; items that arrive while a batch runs go to the
 * next one. Batches run one at a time, in order, on a dedicated daemon thread named {@code name-N} (or,
 * when the builder is given an executor, on one of its threads, never two batches at once), so the batch
 * function need not be thread-safe. Each item's stage completes on that thread with its result, or with
 * the batch's error; keep continuations short or move them elsewhere.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread and never blocks. Life-cycle: whoever
 * built it closes it; {@link #close} fails every queued item with an {@link IllegalStateException} naming
 * the batcher, lets a running batch finish (waiting for it, unless called from inside it) and stops the
 * dedicated thread. Idempotent. Built with {@link #builder}.
 *
 * @param <I> an item
 * @param <O> an item's result
 */
public interface Batcher<I, O> extends AutoCloseable {

  /**
   * Queues {@code item}; the stage completes with its result, or fails with its batch's error or, once
   * the batcher is closed, with an {@link IllegalStateException}.
   */
  CompletionStage<O> submit(I item);

  /** Queues every item of {@code items}; the stage completes with their results in order, or fails. */
  default CompletionStage<List<O>> submitAll(List<I> items) {
    List<CompletableFuture<O>> stages = new ArrayList<>(items.size());
    for (I item : items) {
      stages.add(submit(item).toCompletableFuture());
    }
    return CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<O> out = new ArrayList<>(stages.size());
      stages.forEach(s -> out.add(s.join()));
      return out;
    });
  }

  /** Its name, the prefix of its thread's name. */
  String name();

  /** What it has done so far; a consistent snapshot of counters that only grow. */
  Statistics statistics();

  @Override
  void close();

  /**
   * Counts since the batcher was built.
   *
   * @param batches the batches run
   * @param items the items in them
   * @param largestBatch the largest batch run
   */
  record Statistics(long batches, long items, int largestBatch) {
    /** Items per batch on average; 0 before the first batch. */
    public double meanBatchSize() {
      return batches == 0 ? 0 : (double) items / batches;
    }
  }

  /**
   * A builder for a batcher that runs {@code run} on each batch. {@code run} gets the batch's items in
   * submission order and returns one result per item, in the same order; if it throws, or returns
   * another number of results, every item of the batch fails.
   */
  static <I, O> Builder<I, O> builder(String name, Function<List<I>, List<O>> run) {
    return new Builder<>(name, run);
  }

  /** Configures a {@link Batcher}; not thread-safe. Fails fast on a bad value, naming it. */
  final class Builder<I, O> {
    private final String name;
    private final Function<List<I>, List<O>> run;
    private int maxBatch = 32;
    private Duration maxWait = Duration.ofMillis(2);
    private Executor executor;

    private Builder(String name, Function<List<I>, List<O>> run) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a batcher needs a name (its thread's name), was '" + name + "'");
      }
      this.name = name;
      this.run = Objects.requireNonNull(run, "run");
    }

    /** The most items in one batch, at least 1 (default 32). */
    public Builder<I, O> maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * How long a batch waits for more items after its first, zero or more (default 2 ms): longer fills
     * batches better and delays the first item more.
     */
    public Builder<I, O> maxWait(Duration maxWait) {
      if (maxWait == null || maxWait.isNegative()) {
        throw new IllegalArgumentException("maxWait must be zero or more, was " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    /**
     * Runs batches on {@code executor} (e.g. a worker pool the runtime owns) instead of a dedicated
     * thread; the batcher still runs one batch at a time, and waits for more items on the executor's
     * thread. The caller keeps ownership of the executor.
     */
    public Builder<I, O> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Batcher<I, O> build() {
      return new QueueBatcher<>(name, run, maxBatch, maxWait.toNanos(), executor);
    }
  }
}
