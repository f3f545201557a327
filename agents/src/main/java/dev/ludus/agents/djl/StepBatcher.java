package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.IntConsumer;

/**
 * Continuous batching per decoding step (iteration-level scheduling, as vLLM does): one worker thread keeps a running
 * batch of sequences and, before each decoding step, admits the sequences that arrived meanwhile.
 *
 * <p>Design: the running batch's keys and values are one array per layer, (B, H, K, D), whose key columns are shared
 * by the rows and masked per row ({@code valid}, as in {@link Generator}). An admitted group is read by a first pass
 * of its own ({@link Generator#prefill}, shared prefix included), samples its first token from it, and its rows join
 * the running batch: the shorter of the two key ranges is padded on the left with masked zero columns, and the rows
 * are stacked. The next step feeds one token per row, at each row's own position, so a row's logits do not depend on
 * its batch-mates (up to float rounding) and, since each row samples with its own generator ({@link Sequence}), a
 * sequence gets the same tokens whether it ran alone or joined a running batch. A row that finishes leaves the batch
 * at once (its future completes and its rows of the arrays are dropped), and leading columns no row uses any more are
 * cut, so the arrays stay as wide as the longest live sequence (plus left padding of the rows that joined late).
 *
 * <p>Waiting: when nothing is running, a burst of arrivals is collected until none has arrived for {@code gapNanos},
 * {@code maxBatch} wait, or the first has waited 8 x {@code gapNanos} (requests of one burst spread over milliseconds
 * by the network then share one first pass); while a batch runs, whatever arrived joins at the next step, up to
 * {@code maxBatch} rows, once the waiting requests fill the batch or the oldest has waited {@code gapNanos} (with no
 * gathering wait, at once).
 *
 * <p>Preparation: a {@link Job} (a served request still to be parsed and rendered) is queued as it arrives and turned
 * into its requests on the worker thread: while the worker gathers a burst (it is idle then), or between decoding
 * steps when there is room in the batch. So preparing requests overlaps waiting and generation, the arrival costs the
 * caller (an event loop) only the enqueueing, and no other thread has to be woken in between.
 *
 * <p>Policy version: a run (from the first admission until the batch is empty) holds the model's read lock, so every
 * token of a sequence comes from one version. A run stops admitting as soon as a model update waits for the write lock,
 * so that under unbroken load the update gets the weights once the running sequences finish (instead of after a
 * fixed number of steps).
 *
 * <p>Thread-safety: {@link #submit}, {@link #statistics} and {@link #close} may be called from any thread (submit
 * never blocks: it enqueues and wakes the worker); the model runs only on the worker thread, which completes the
 * futures. Life-cycle: {@link #close} fails what is queued or running, and waits for the worker to stop, so the model
 * can be closed after it. Idempotent.
 */
final class StepBatcher implements AutoCloseable {
  /** A request waiting for admission and the future its result completes. */
  record Waiting(Generator.Request request, CompletableFuture<Generator.Result> result) {}

  /**
   * Work the worker turns into requests just before it may admit them: parsing and rendering a served request. Both
   * methods run on the worker thread and must not block.
   */
  interface Job {
    /** The requests with the futures they complete; what it throws fails this job alone (see {@link #fail}). */
    List<Waiting> prepare();

    /** The job failed: {@link #prepare} threw {@code t}, or the batcher closed before preparing it. */
    void fail(Throwable t);
  }

  /** A sequence in the running batch: what it generated, the future it completes and its valid key columns. */
  private record Row(Sequence sequence, CompletableFuture<Generator.Result> result, BitSet valid) {}

  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final Generator generator;
  private final int[] excluded;
  private final int maxBatch;
  private final long gapNanos;
  private final IntConsumer afterStep;
  private final Thread thread;
  private final Object lock = new Object();
  private final ArrayDeque<Object> queue = new ArrayDeque<>(); // guarded by lock: Waiting or Job, oldest first
  private final ArrayDeque<Waiting> ready = new ArrayDeque<>(); // worker thread only: prepared, not yet admitted
  private long firstArrival; // guarded by lock: when the oldest queued entry arrived
  private long lastArrival; // guarded by lock
  private boolean closed; // guarded by lock
  // written by the worker only, read by anyone
  private volatile ChatCompletions.Statistics statistics = new ChatCompletions.Statistics(0, 0, 0, 0, 0);
  // the timeline since its last reset (System.nanoTime, 0 for not yet): arrivals written under lock, the rest by the
  // worker; read by anyone
  private volatile long firstArrivalSinceReset;
  private volatile long lastArrivalSinceReset;
  private volatile long firstAdmissionSinceReset;
  private volatile long lastStepSinceReset;
  // where the worker's wall time went (nanoseconds, since construction); written by the worker only, read by anyone
  private volatile long preparingNanos;
  private volatile long firstPassNanos;
  private volatile long firstPasses;
  private volatile long steppingNanos;
  private volatile long samplingNanos;
  private volatile long answeringNanos;

  /**
   * A batcher of at most {@code maxBatch} running sequences that collects a burst for {@code gapNanos} when idle (0
   * for none); {@code afterStep} is told each run's step count after every decoding step, on the worker thread
   * (tests; may submit).
   */
  StepBatcher(LanguageModel model, LmTokenizer tokenizer, int maxBatch, long gapNanos, IntConsumer afterStep) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.generator = new Generator(model, tokenizer);
    this.excluded = Generator.excludedIds(tokenizer);
    this.maxBatch = maxBatch;
    this.gapNanos = gapNanos;
    this.afterStep = afterStep == null ? s -> { } : afterStep;
    this.thread = new Thread(this::loop, "serve-worker");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code request}; the future completes on the worker thread with its result or failure. */
  CompletableFuture<Generator.Result> submit(Generator.Request request) {
    CompletableFuture<Generator.Result> result = new CompletableFuture<>();
    if (!enqueue(new Waiting(request, result))) {
      result.completeExceptionally(new IllegalStateException("the model server is closing"));
    }
    return result;
  }

  /** Queues {@code job}, to be prepared on the worker thread; never blocks. A closed batcher fails it at once. */
  void submit(Job job) {
    if (!enqueue(job)) {
      job.fail(new IllegalStateException("the model server is closing"));
    }
  }

  private boolean enqueue(Object entry) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      long now = System.nanoTime();
      if (queue.isEmpty()) {
        firstArrival = now;
      }
      lastArrival = now;
      if (firstArrivalSinceReset == 0) {
        firstArrivalSinceReset = now;
      }
      lastArrivalSinceReset = now;
      queue.add(entry);
      lock.notifyAll();
      return true;
    }
  }

  /** How the worker has batched so far. */
  ChatCompletions.Statistics statistics() {
    return statistics;
  }

  /** Where the worker's wall time went so far (see {@link ChatCompletions.WorkerTime}). */
  ChatCompletions.WorkerTime workerTime() {
    return new ChatCompletions.WorkerTime(preparingNanos, firstPasses, firstPassNanos, steppingNanos, samplingNanos,
        answeringNanos);
  }

  /** When requests arrived, the first was admitted and the last decoding step ended since {@link #resetTimeline}. */
  ChatCompletions.Timeline timeline() {
    return new ChatCompletions.Timeline(firstArrivalSinceReset, lastArrivalSinceReset, firstAdmissionSinceReset,
        lastStepSinceReset);
  }

  /** Starts a new {@link #timeline}; call it while nothing is queued or running (between a benchmark's rounds). */
  void resetTimeline() {
    synchronized (lock) {
      firstArrivalSinceReset = 0;
      lastArrivalSinceReset = 0;
      firstAdmissionSinceReset = 0;
      lastStepSinceReset = 0;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (awaitWork()) {
      List<Row> rows = new ArrayList<>();
      try {
        Lock read = model.readLock();
        try (NDManager manager = model.manager().newSubManager()) {
          DjlRuntime.withoutGrad(() -> {
            run(rows, manager);
            return null;
          });
        } finally {
          read.unlock();
        }
      } catch (Throwable t) {
        for (Row r : rows) {
          r.result().completeExceptionally(t);
        }
        if (!(t instanceof Exception)) {
          synchronized (lock) {
            closed = true;
          }
          failQueued(t);
          throw t;
        }
      }
    }
    failQueued(new IllegalStateException("the model server is closing"));
  }

  /**
   * Waits for a request, then for the rest of its burst, preparing the jobs that arrive meanwhile; false once closed.
   */
  private boolean awaitWork() {
    try {
      long first = 0;
      boolean gathering = false;
      while (true) {
        synchronized (lock) {
          while (queue.isEmpty() && ready.isEmpty() && !closed) {
            lock.wait();
            gathering = false;
          }
          if (closed) {
            return false;
          }
          if (!gathering) {
            gathering = true;
            first = ready.isEmpty() ? firstArrival : Math.min(firstArrival, System.nanoTime());
          }
        }
        prepare(maxBatch); // the worker is idle while it gathers: prepare what arrived
        synchronized (lock) {
          if (closed) {
            return false;
          }
          if (ready.isEmpty() && queue.isEmpty()) {
            gathering = false; // every job failed: wait for the next arrival
            continue;
          }
          if (!queue.isEmpty() && ready.size() < maxBatch) {
            continue; // more arrived while preparing
          }
          if (gapNanos <= 0 || ready.size() >= maxBatch) {
            return true;
          }
          long now = System.nanoTime();
          long delay = Math.min(lastArrival + gapNanos - now, first + 8 * gapNanos - now);
          if (delay <= 0) {
            return true;
          }
          TimeUnit.NANOSECONDS.timedWait(lock, delay);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (lock) {
        closed = true;
      }
      return false;
    }
  }

  /** Prepares queued entries, oldest first, until {@code want} requests are ready or nothing is queued. */
  private void prepare(int want) {
    long t0 = System.nanoTime();
    try {
      prepareUntimed(want);
    } finally {
      preparingNanos += System.nanoTime() - t0;
    }
  }

  private void prepareUntimed(int want) {
    while (ready.size() < want) {
      Object next;
      synchronized (lock) {
        next = queue.poll();
      }
      if (next == null) {
        return;
      }
      if (next instanceof Waiting w) {
        ready.add(w);
      } else {
        Job job = (Job) next;
        try {
          ready.addAll(job.prepare());
        } catch (RuntimeException e) {
          job.fail(e);
        }
      }
    }
  }

  private void failQueued(Throwable t) {
    List<Object> left;
    synchronized (lock) {
      left = new ArrayList<>(ready);
      ready.clear();
      left.addAll(queue);
      queue.clear();
    }
    for (Object entry : left) {
      if (entry instanceof Waiting w) {
        w.result().completeExceptionally(t);
      } else {
        ((Job) entry).fail(t);
      }
    }
  }

  /** Up to {@code free} waiting requests, oldest first, preparing queued jobs as needed. */
  private List<Waiting> take(int free) {
    prepare(free);
    List<Waiting> out = new ArrayList<>(Math.min(free, ready.size()));
    while (out.size() < free && !ready.isEmpty()) {
      out.add(ready.poll());
    }
    return out;
  }

  private boolean closing() {
    synchronized (lock) {
      return closed;
    }
  }

  /** One run: admits, steps and retires sequences until the batch is empty and nothing (admissible) waits. */
  private void run(List<Row> rows, NDManager manager) {
    long version = model.version();
    int context = model.spec().context();
    int vocab = model.spec().vocabSize();
    ParameterStore ps = new ParameterStore(manager, false);
    NDList kv = new NDList();
    NDManager kvManager = manager.newSubManager();
    int keys = 0;
    int steps = 0;
    try {
      while (true) {
        if (closing()) {
          IllegalStateException e = new IllegalStateException("the model server is closing");
          rows.forEach(r -> r.result().completeExceptionally(e));
          rows.clear();
          return;
        }
        boolean admitting = !model.updateWaiting();
        List<Waiting> admitted = admitting && worthAFirstPass(rows.size()) ? take(maxBatch - rows.size())
            : List.of();
        if (!admitted.isEmpty()) {
          if (firstAdmissionSinceReset == 0) {
            firstAdmissionSinceReset = System.nanoTime();
          }
          int joinedRunning = rows.isEmpty() ? 0 : admitted.size();
          NDManager joined = manager.newSubManager();
          long a0 = System.nanoTime();
          try {
            keys = admit(admitted, rows, kv, keys, joined, version, context, vocab);
          } finally {
            firstPassNanos += System.nanoTime() - a0;
            firstPasses++;
          }
          kv = rebind(kv, joined);
          kvManager.close();
          kvManager = joined;
          record(0, 0, admitted.size(), joinedRunning);
        }
        if (rows.isEmpty()) {
          if (!admitting || queueEmpty()) {
            return;
          }
          continue;
        }
        // one decoding step: each row feeds its last token at its own position
        int n = rows.size();
        keys++;
        long[] next = new long[n];
        long[] positions = new long[n];
        float[] mask = new float[n * keys];
        Arrays.fill(mask, LanguageModel.MASKED);
        for (int b = 0; b < n; b++) {
          Row r = rows.get(b);
          next[b] = r.sequence().lastToken();
          positions[b] = r.sequence().lastPosition();
          r.valid().set(keys - 1);
          for (int k = r.valid().nextSetBit(0); k >= 0; k = r.valid().nextSetBit(k + 1)) {
            mask[b * keys + k] = 0f;
          }
        }
        float[] last;
        long s0 = System.nanoTime();
        NDManager stepped = manager.newSubManager();
        try (NDManager step = manager.newSubManager()) {
          NDList in = new NDList(step.create(next, new Shape(n, 1)), step.create(positions, new Shape(n, 1)),
              step.create(mask, new Shape(n, 1, 1, keys)));
          in.addAll(kv);
          NDList out = model.forwardRaw(ps, in);
          last = out.get(0).toFloatArray();
          kv = rebind(out.subNDList(1), stepped);
        } catch (RuntimeException e) {
          stepped.close();
          throw e;
        }
        kvManager.close();
        kvManager = stepped;
        steps++;
        long s1 = System.nanoTime();
        steppingNanos += s1 - s0;
        boolean[] live = new boolean[n];
        int alive = 0;
        for (int b = 0; b < n; b++) {
          Row r = rows.get(b);
          live[b] = r.sequence().sample(last, b * vocab, vocab, excluded, tokenizer, context);
          if (live[b]) {
            alive++;
          }
        }
        long s2 = System.nanoTime();
        samplingNanos += s2 - s1;
        record(1, n, 0, 0);
        List<Row> finished = new ArrayList<>(n - alive);
        if (alive < n) {
          List<Row> kept = new ArrayList<>(alive);
          for (int b = 0; b < n; b++) {
            (live[b] ? kept : finished).add(rows.get(b));
          }
          rows.clear();
          rows.addAll(kept);
        }
        int drop = leadingUnused(rows, keys);
        if (alive < n || drop >= TRIM_COLUMNS) {
          NDManager compact = manager.newSubManager();
          kv = select(kv, live, drop, keys, compact);
          kvManager.close();
          kvManager = compact;
          keys -= drop;
          for (Row r : rows) {
            shift(r.valid(), -drop);
          }
        }
        long s3 = System.nanoTime();
        steppingNanos += s3 - s2; // dropping finished rows and leading columns: part of the step's cache work
        lastStepSinceReset = s3; // before the answers, whose callbacks may end a benchmark's round
        for (Row r : finished) {
          answer(r.sequence(), r.result(), version);
        }
        answeringNanos += System.nanoTime() - s3;
        afterStep.accept(steps);
      }
    } finally {
      kvManager.close();
    }
  }

  /**
   * Whether to admit what waits now rather than after another decoding step. At once when the batch is empty or there
   * is no gathering wait; while a batch runs (with {@code gapNanos} set), only when the waiting requests fill the
   * batch, or the oldest of them has waited {@code gapNanos}: each admission costs a first pass of its own, as much as
   * a decoding step, so a trickle of arrivals (answers travelling back and clients sending their next request at
   * different times) is read by one first pass instead of one per step, which left the running batch at 26 of 64
   * sequences under continuous load.
   */
  private boolean worthAFirstPass(int running) {
    if (running == 0 || gapNanos <= 0) {
      deferredSince = 0;
      return true;
    }
    int free = maxBatch - running;
    if (free <= 0) {
      return false;
    }
    prepare(free);
    if (ready.isEmpty()) {
      deferredSince = 0;
      return false;
    }
    long now = System.nanoTime();
    if (deferredSince == 0) {
      deferredSince = now;
    }
    if (ready.size() >= free || now - deferredSince >= gapNanos) {
      deferredSince = 0;
      return true;
    }
    return false;
  }

  /** Worker thread only: when requests were first seen waiting behind a running batch (0: none deferred). */
  private long deferredSince;

  /** Leading columns no row uses any more are cut once there are this many. */
  static final int TRIM_COLUMNS = 8;

  private boolean queueEmpty() {
    synchronized (lock) {
      return queue.isEmpty() && ready.isEmpty();
    }
  }

  /**
   * Reads the admitted requests' prompts in one first pass, samples their first token, completes those already
   * finished, and stacks the rest onto the running batch; returns the batch's key columns. Arrays it builds are on
   * {@code joined}; when nothing joins, {@code kv} is left as it was and the caller moves it to {@code joined}.
   */
  private int admit(List<Waiting> admitted, List<Row> rows, NDList kv, int keys, NDManager joined, long version,
      int context, int vocab) {
    List<Waiting> ok = new ArrayList<>(admitted.size());
    List<int[]> prompts = new ArrayList<>(admitted.size());
    for (Waiting w : admitted) {
      try {
        prompts.add(Generator.fit(w.request(), context));
        ok.add(w);
      } catch (IllegalArgumentException e) {
        w.result().completeExceptionally(e);
      }
    }
    if (ok.isEmpty()) {
      return keys; // the caller moves the running batch's arrays to joined
    }
    Generator.FirstPass first;
    try {
      first = generator.prefill(prompts.toArray(int[][]::new), joined);
    } catch (RuntimeException e) {
      ok.forEach(w -> w.result().completeExceptionally(e));
      throw e;
    }
    try {
      int a = ok.size();
      boolean[] live = new boolean[a];
      List<Row> fresh = new ArrayList<>(a);
      for (int i = 0; i < a; i++) {
        Sequence s = new Sequence(ok.get(i).request(), prompts.get(i));
        live[i] = s.sample(first.last(), i * vocab, vocab, excluded, tokenizer, context);
        if (live[i]) {
          fresh.add(new Row(s, ok.get(i).result(), first.valid()[i]));
        } else {
          answer(s, ok.get(i).result(), version);
        }
      }
      if (fresh.isEmpty()) {
        return keys;
      }
      int width = Math.max(keys, first.keys());
      NDList incoming = fresh.size() == a ? first.kv() : select(first.kv(), live, 0, first.keys(), joined);
      NDList out = new NDList(incoming.size());
      for (int l = 0; l < incoming.size(); l++) {
        NDList stack = new NDList(2);
        if (!rows.isEmpty()) {
          stack.add(padLeft(kv.get(l), width - keys, joined));
        }
        stack.add(padLeft(incoming.get(l), width - first.keys(), joined));
        NDArray whole = stack.size() == 1 ? stack.get(0) : NDArrays.concat(stack, 0);
        whole.attach(joined); // moved, not copied, off the first pass's manager, which is closed below
        out.add(whole);
      }
      for (Row r : rows) {
        shift(r.valid(), width - keys);
      }
      for (Row r : fresh) {
        shift(r.valid(), width - first.keys());
      }
      rows.addAll(fresh);
      kv.clear();
      kv.addAll(out);
      return width;
    } catch (RuntimeException e) {
      // the group's requests are not rows yet, so the caller's failure handling would not reach them: fail them here
      // (a request already answered keeps its answer), or they would wait for ever
      ok.forEach(w -> w.result().completeExceptionally(e));
      throw e;
    } finally {
      first.manager().close();
    }
  }

  /**
   * Completes {@code result} with the finished sequence's result, or with the failure of building it (decoding its
   * text): that fails this sequence alone, and the others finishing at the same step are still answered.
   */
  private void answer(Sequence s, CompletableFuture<Generator.Result> result, long version) {
    Generator.Result r;
    try {
      r = s.result(tokenizer, version);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    result.complete(r);
  }

  /** {@code a} (B, H, K, D) with {@code columns} zero key columns before its own. */
  private static NDArray padLeft(NDArray a, int columns, NDManager m) {
    if (columns == 0) {
      return a;
    }
    Shape s = a.getShape();
    NDArray zeros = m.zeros(new Shape(s.get(0), s.get(1), columns, s.get(3)), a.getDataType());
    return NDArrays.concat(new NDList(zeros, a), 2);
  }

  /** The rows of {@code kv} marked {@code keep}, without their first {@code drop} key columns, on {@code m}. */
  private static NDList select(NDList kv, boolean[] keep, int drop, int keys, NDManager m) {
    NDList out = new NDList(kv.size());
    for (NDArray a : kv) {
      NDList runs = new NDList();
      for (int from = 0; from < keep.length; ) {
        if (!keep[from]) {
          from++;
          continue;
        }
        int to = from;
        while (to < keep.length && keep[to]) {
          to++;
        }
        runs.add(a.get(new NDIndex("{}:{}, :, {}:{}", from, to, drop, keys)));
        from = to;
      }
      NDArray whole = runs.isEmpty() ? m.zeros(new Shape(0, a.getShape().get(1), keys - drop, a.getShape().get(3)),
          a.getDataType()) : runs.size() == 1 ? runs.get(0).duplicate() : NDArrays.concat(runs, 0);
      whole.attach(m);
      out.add(whole);
    }
    return out;
  }

  /** The leading key columns that no row uses (all of them when no row is left). */
  private static int leadingUnused(List<Row> rows, int keys) {
    int first = keys;
    for (Row r : rows) {
      int k = r.valid().nextSetBit(0);
      first = Math.min(first, k < 0 ? keys : k);
    }
    return first;
  }

  /** Moves every set bit of {@code bits} by {@code by} columns. */
  private static void shift(BitSet bits, int by) {
    if (by == 0) {
      return;
    }
    BitSet moved = new BitSet();
    for (int k = bits.nextSetBit(0); k >= 0; k = bits.nextSetBit(k + 1)) {
      moved.set(k + by);
    }
    bits.clear();
    bits.or(moved);
  }

  /** Moves every array of {@code arrays} to {@code m}. */
  private static NDList rebind(NDList arrays, NDManager m) {
    NDList out = new NDList(arrays.size());
    for (NDArray a : arrays) {
      a.attach(m);
      out.add(a);
    }
    return out;
  }

  private void record(int steps, int rows, int admitted, int joined) {
    ChatCompletions.Statistics s = statistics;
    statistics = new ChatCompletions.Statistics(s.items() + admitted, s.steps() + steps, s.rows() + rows,
        Math.max(s.largestBatch(), rows), s.joined() + joined);
  }
}
