package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Batched autoregressive generation with a key/value cache, within a call and, with a {@link KvCache}, across the
 * turns of a conversation.
 *
 * <p>It never emits a special token ({@link #excludedIds}) except end-of-sequence, which ends the reply.
 *
 * <p>Prompts of different lengths are left-padded into one (B, T0) batch; padding keys are masked and each
 * sequence's positions count from its own first real token, so a sequence's logits do not depend on its
 * batch-mates (up to float rounding). The first pass reads the prompts and keeps every layer's keys and values;
 * each later step feeds one token per sequence and appends to the cache. Sequences that have finished are fed
 * padding until the last one finishes. Each sequence samples with its own generator, seeded from its request.
 * The vocabulary head runs at each sequence's last position only. Per-step arrays live on a sub-manager closed
 * after the step; the cache moves to a fresh sub-manager each step, so memory stays bounded by one step plus the
 * cache.
 *
 * <p>Within a batch: prompts that begin alike (a training iteration's episodes share their environment's system
 * prompt and opening, and every first turn is the same prompt) have their longest common prefix computed once, by a
 * pass over that prefix alone, whose keys and values enter the first pass as past keys broadcast to every sequence
 * ({@link #sharedPrefix}); only the rest of each prompt is fed, at positions that continue the prefix. It is the
 * cross-turn layout below with every sequence reusing the same prefix, and is used when no sequence of the batch has
 * a cross-turn cache hit.
 *
 * <p>Across turns: a request that names its conversation ({@link Request#cacheKey}) has its prompt looked up in the
 * {@link KvCache}; the leading tokens it shares with the conversation's cached ids are not computed again, their
 * keys and values enter the first pass as past keys (right-aligned after masked zeros, since batch-mates reuse
 * different lengths) and only the rest of the prompt is fed, left-padded, at positions that continue the cached
 * ones. Sequences without a cache sit in the same batch with every past column masked. After the batch each named
 * conversation's keys and values (prompt and output but the last output token, which was never fed) are gathered
 * from its own columns and kept for its next turn.
 *
 * <p>Not thread-safe by itself: {@link dev.ludus.api.batch.Batcher} calls it from its one thread. The model's read lock is
 * held for the whole batch, so all its tokens come from one policy version, the version the cache checks.
 */
final class Generator {
  /**
   * One sequence to continue.
   *
   * @param prompt the prompt's token ids (at least one); cut from the left to fit the context
   * @param sampling how tokens are chosen
   * @param seed the seed of this sequence's sampling generator
   * @param maxNewTokens the most tokens to generate (at least 1, below the context)
   * @param stops strings that end the output when they appear in its text
   * @param cacheKey the conversation this prompt continues (episode id and seat), whose keys and values are kept
   *     across turns when the generator has a cache; null for none
   * @param topLogprobs how many most likely alternatives to report at each generated position (0 for none); see
   *     {@link Result#topIds}
   */
  record Request(int[] prompt, Sampling sampling, long seed, int maxNewTokens, List<String> stops, String cacheKey,
      int topLogprobs) {
    /** A request whose keys and values are not kept after it. */
    Request(int[] prompt, Sampling sampling, long seed, int maxNewTokens, List<String> stops) {
      this(prompt, sampling, seed, maxNewTokens, stops, null);
    }

    /** A request without alternatives. */
    Request(int[] prompt, Sampling sampling, long seed, int maxNewTokens, List<String> stops, String cacheKey) {
      this(prompt, sampling, seed, maxNewTokens, stops, cacheKey, 0);
    }
  }

  /**
   * A generated continuation.
   *
   * @param promptIds the prompt the model saw (after any cut)
   * @param outputIds every generated token, including a final end-of-sequence token
   * @param logProbs each generated token's log-prob (see {@link Sampling})
   * @param text the decoded output, without end-of-sequence and cut before a stop string
   * @param finishReason {@code stop} (end of sequence or a stop string) or {@code length}
   * @param policyVersion the model version that produced it
   * @param topIds per generated position, the ids of the {@link Request#topLogprobs} most likely tokens, most likely
   *     first, under {@code softmax(logits / temperature)} (temperature 1 when greedy) before any top-k or top-p cut,
   *     special tokens other than end-of-sequence excluded; empty rows when none were asked for
   * @param topLogProbs their log-probs, row for row
   */
  record Result(int[] promptIds, int[] outputIds, float[] logProbs, String text, String finishReason,
      long policyVersion, int[][] topIds, float[][] topLogProbs) {
    Result(int[] promptIds, int[] outputIds, float[] logProbs, String text, String finishReason, long policyVersion) {
      this(promptIds, outputIds, logProbs, text, finishReason, policyVersion, new int[0][], new float[0][]);
    }
  }

  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final int[] excluded;
  private final KvCache cache;
  private final long firstPassScores;
  /** Prompt tokens the shared prefixes saved computing (each batch's prefix once, not once per sequence). */
  private final AtomicLong sharedPrefixTokens = new AtomicLong();

  /** A generator that keeps nothing across calls. */
  Generator(LanguageModel model, LmTokenizer tokenizer) {
    this(model, tokenizer, null);
  }

  /** A generator that keeps conversations' keys and values in {@code cache} (null for none) across calls. */
  Generator(LanguageModel model, LmTokenizer tokenizer, KvCache cache) {
    this(model, tokenizer, cache, FIRST_PASS_SCORES);
  }

  /** ... whose first pass computes at most {@code firstPassScores} attention scores per chunk of rows (tests). */
  Generator(LanguageModel model, LmTokenizer tokenizer, KvCache cache, long firstPassScores) {
    this.firstPassScores = firstPassScores;
    this.model = model;
    this.tokenizer = tokenizer;
    this.excluded = excludedIds(tokenizer);
    this.cache = cache;
  }

  /**
   * The ids generation never emits: the tokenizer's special tokens ({@link LmTokenizer#specialIds()}) except
   * end-of-sequence, which ends the turn. Sorted, distinct.
   */
  static int[] excludedIds(LmTokenizer tokenizer) {
    int eos = tokenizer.eosId();
    return Arrays.stream(tokenizer.specialIds()).filter(id -> id != eos).distinct().sorted().toArray();
  }

  List<Result> generate(List<Request> requests) {
    Lock read = model.readLock();
    try (NDManager batch = model.manager().newSubManager()) {
      return DjlRuntime.withoutGrad(() -> run(requests, batch));
    } finally {
      read.unlock();
    }
  }

  /**
   * The request's prompt cut from the left so that it and its {@code maxNewTokens} fit {@code context}.
   *
   * @throws IllegalArgumentException when not even one prompt token fits
   */
  static int[] fit(Request r, int context) {
    int keep = Math.min(r.prompt().length, context - r.maxNewTokens());
    if (keep < 1) {
      throw new IllegalArgumentException("a prompt needs at least one token and maxNewTokens ("
          + r.maxNewTokens() + ") must be below the context (" + context + ")");
    }
    return Arrays.copyOfRange(r.prompt(), r.prompt().length - keep, r.prompt().length);
  }

  private List<Result> run(List<Request> requests, NDManager batch) {
    long version = model.version();
    int context = model.spec().context();
    int vocab = model.spec().vocabSize();
    int n = requests.size();
    int[][] prompts = new int[n][];
    boolean[] cut = new boolean[n];
    for (int b = 0; b < n; b++) {
      Request r = requests.get(b);
      prompts[b] = fit(r, context);
      cut[b] = prompts[b].length < r.prompt().length;
    }
    KvCache.Hit[] hits = new KvCache.Hit[n];
    int[] reuse = new int[n];
    if (cache != null) {
      cache.startBatch(version);
      for (int b = 0; b < n; b++) {
        String key = requests.get(b).cacheKey();
        hits[b] = key == null ? null : cache.lookup(key, prompts[b], cut[b], version);
        reuse[b] = hits[b] == null ? 0 : hits[b].length();
        cache.countPrompt(prompts[b].length, reuse[b]);
      }
    }
    int shared = 0;
    if (Arrays.stream(hits).allMatch(h -> h == null)) {
      shared = sharedPrefix(prompts);
      if (shared > 0) {
        Arrays.fill(reuse, shared);
        sharedPrefixTokens.addAndGet((long) shared * (n - 1));
      }
    }
    try {
      return decode(requests, batch, prompts, cut, hits, reuse, shared, version, context, vocab);
    } finally {
      for (KvCache.Hit h : hits) {
        if (h != null) {
          h.entry().close();
        }
      }
    }
  }

  /**
   * The keys and values and the next-token logits of a first pass over a batch's prompts.
   *
   * @param kv per layer keys then values, (B, H, keys, D), on {@code manager}
   * @param manager the sub-manager the caller closes when it no longer needs {@code kv}
   * @param last (B x V) the logits at each sequence's last prompt position
   * @param valid per sequence, the key columns that hold its tokens, in order (everything else is masked for it)
   * @param keys the key columns
   */
  record FirstPass(NDList kv, NDManager manager, float[] last, BitSet[] valid, int keys) {}

  /**
   * The first pass over {@code prompts} (already fitted to the context) that reuse nothing from a cross-turn cache:
   * their common prefix, when they share one, is computed once ({@link #sharedPrefix}). Holds no lock; the caller
   * holds the model's read lock and runs without gradients, and closes the result's manager.
   */
  FirstPass prefill(int[][] prompts, NDManager batch) {
    int n = prompts.length;
    int[] reuse = new int[n];
    int shared = sharedPrefix(prompts);
    if (shared > 0) {
      Arrays.fill(reuse, shared);
      sharedPrefixTokens.addAndGet((long) shared * (n - 1));
    }
    return firstPass(prompts, new KvCache.Hit[n], reuse, shared, batch, new ParameterStore(batch, false));
  }

  /**
   * Reads every prompt (the part not reused from the cache), then generates token by token. Key columns are laid
   * out as [reused cache, left-padded | prompt suffix, left-padded | one column per step]; {@code valid[b]} marks
   * the columns that hold sequence {@code b}'s tokens, in order, and everything else is masked for it.
   */
  private List<Result> decode(List<Request> requests, NDManager batch, int[][] prompts, boolean[] cut,
      KvCache.Hit[] hits, int[] reuse, int shared, long version, int context, int vocab) {
    int n = requests.size();
    ParameterStore ps = new ParameterStore(batch, false);
    FirstPass first = firstPass(prompts, hits, reuse, shared, batch, ps);
    NDList kv = first.kv();
    NDManager cacheManager = first.manager();
    float[] last = first.last();
    BitSet[] valid = first.valid();
    int keys = first.keys();

    Sequence[] sequences = new Sequence[n];
    for (int b = 0; b < n; b++) {
      sequences[b] = new Sequence(requests.get(b), prompts[b]);
    }
    while (true) {
      int active = 0;
      for (int b = 0; b < n; b++) {
        if (!sequences[b].finished() && sequences[b].sample(last, b * vocab, vocab, excluded, tokenizer, context)) {
          active++;
        }
      }
      if (active == 0) {
        break;
      }
      keys++;
      long[] next = new long[n];
      long[] nextPositions = new long[n];
      float[] nextMask = new float[n * keys];
      Arrays.fill(nextMask, LanguageModel.MASKED);
      for (int b = 0; b < n; b++) {
        boolean live = !sequences[b].finished();
        next[b] = live ? sequences[b].lastToken() : tokenizer.padId();
        nextPositions[b] = live ? sequences[b].lastPosition() : 0;
        if (live) {
          valid[b].set(keys - 1);
        }
        for (int k = valid[b].nextSetBit(0); k >= 0; k = valid[b].nextSetBit(k + 1)) {
          nextMask[b * keys + k] = 0f;
        }
      }
      try (NDManager step = batch.newSubManager()) {
        NDList in = new NDList(
            step.create(next, new Shape(n, 1)),
            step.create(nextPositions, new Shape(n, 1)),
            step.create(nextMask, new Shape(n, 1, 1, keys)));
        in.addAll(kv);
        NDList out = model.forwardRaw(ps, in);
        last = out.get(0).toFloatArray();
        NDManager nextCache = batch.newSubManager();
        kv = keep(out, nextCache);
        cacheManager.close();
        cacheManager = nextCache;
      }
    }
    try {
      if (cache != null) {
        for (int b = 0; b < n; b++) {
          String key = requests.get(b).cacheKey();
          if (key != null && !cut[b]) {
            cache.put(key, entry(b, prompts[b], sequences[b].outputs(), valid[b], kv, version));
          }
        }
      }
    } finally {
      cacheManager.close();
    }

    List<Result> results = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      results.add(sequences[b].result(tokenizer, version));
    }
    return results;
  }

  /**
   * The first pass: reads every prompt's part not reused, in chunks of rows so that its attention scores (rows,
   * heads, width, keys) stay within a bound however long the prompts. Key columns are laid out as [reused cache,
   * left-padded | prompt suffix, left-padded].
   */
  private FirstPass firstPass(int[][] prompts, KvCache.Hit[] hits, int[] reuse, int shared, NDManager batch,
      ParameterStore ps) {
    int n = prompts.length;
    int vocab = model.spec().vocabSize();
    int cached = Arrays.stream(reuse).max().orElse(0);
    int width = 0;
    for (int b = 0; b < n; b++) {
      width = Math.max(width, prompts[b].length - reuse[b]);
    }
    int keys = cached + width;

    long[] ids = new long[n * width];
    long[] positions = new long[n * width];
    Arrays.fill(ids, tokenizer.padId());
    BitSet[] valid = new BitSet[n];
    int[] pads = new int[n];
    for (int b = 0; b < n; b++) {
      int suffix = prompts[b].length - reuse[b];
      int pad = width - suffix;
      pads[b] = pad;
      valid[b] = new BitSet();
      valid[b].set(cached - reuse[b], cached);
      valid[b].set(cached + pad, keys);
      for (int j = pad; j < width; j++) {
        ids[b * width + j] = prompts[b][reuse[b] + j - pad];
        positions[b * width + j] = reuse[b] + j - pad;
      }
    }

    // one chunk in the training default, several on long histories
    int rows = firstPassRows(n, model.spec().heads(), width, keys, firstPassScores);
    NDManager cacheManager = batch.newSubManager();
    NDList kv;
    float[] last = new float[n * vocab];
    try (NDManager step = batch.newSubManager()) {
      NDList past = shared > 0 ? sharedPast(prompts[0], shared, n, ps, step)
          : cached > 0 ? past(hits, reuse, cached, step) : new NDList();
      List<NDList> parts = new ArrayList<>();
      NDManager partsManager = step.newSubManager();
      for (int from = 0; from < n; from += rows) {
        int to = Math.min(n, from + rows);
        float[] mask = new float[(to - from) * width * keys];
        Arrays.fill(mask, LanguageModel.MASKED);
        for (int b = from; b < to; b++) {
          for (int j = pads[b]; j < width; j++) {
            int row = ((b - from) * width + j) * keys;
            for (int k = valid[b].nextSetBit(0); k >= 0 && k <= cached + j; k = valid[b].nextSetBit(k + 1)) {
              mask[row + k] = 0f;
            }
          }
        }
        // each chunk's activations on a manager of its own, closed after it: only its keys and values are kept
        try (NDManager chunk = step.newSubManager()) {
          NDList in = new NDList(
              chunk.create(Arrays.copyOfRange(ids, from * width, to * width), new Shape(to - from, width)),
              chunk.create(Arrays.copyOfRange(positions, from * width, to * width), new Shape(to - from, width)),
              chunk.create(mask, new Shape(to - from, 1, width, keys)));
          for (NDArray a : past) {
            in.add(rows >= n ? a : a.get(new NDIndex("{}:{}", from, to)));
          }
          NDList out = model.forwardRaw(ps, in);
          System.arraycopy(out.get(0).toFloatArray(), 0, last, from * vocab, (to - from) * vocab);
          parts.add(keepAll(out.subNDList(1), rows >= n ? cacheManager : partsManager));
        }
      }
      if (parts.size() == 1) {
        kv = parts.get(0);
      } else {
        kv = new NDList(parts.get(0).size());
        for (int a = 0; a < parts.get(0).size(); a++) {
          NDList column = new NDList(parts.size());
          for (NDList part : parts) {
            column.add(part.get(a));
          }
          NDArray whole = NDArrays.concat(column, 0);
          whole.attach(cacheManager);
          kv.add(whole);
        }
      }
    } catch (RuntimeException e) {
      cacheManager.close();
      throw e;
    }
    return new FirstPass(kv, cacheManager, last, valid, keys);
  }

  /**
   * The length of the prefix every prompt of the batch shares, computed once for all of them
   * ({@link #MIN_SHARED_PREFIX} tokens at least, else 0): their longest common prefix, less one token when a prompt
   * is that prefix alone, since each sequence's first pass needs a token of its own to give its next-token logits. 0
   * for a batch of one, where sharing saves nothing.
   */
  static int sharedPrefix(int[][] prompts) {
    if (prompts.length < 2) {
      return 0;
    }
    int common = prompts[0].length;
    for (int b = 1; b < prompts.length && common > 0; b++) {
      common = Math.min(common, prompts[b].length);
      int i = 0;
      while (i < common && prompts[b][i] == prompts[0][i]) {
        i++;
      }
      common = i;
    }
    for (int[] p : prompts) {
      common = Math.min(common, p.length - 1);
    }
    return common >= MIN_SHARED_PREFIX ? common : 0;
  }

  /** The most attention scores (rows × heads × width × keys) one chunk of the first pass computes. */
  static final long FIRST_PASS_SCORES = 1L << 23;

  /**
   * How many rows each chunk of the first pass takes: all {@code n} when their scores fit {@code budget} (by default
   * {@link #FIRST_PASS_SCORES}), else as many as fit, at least 1.
   */
  static int firstPassRows(int n, int heads, int width, int keys, long budget) {
    long perRow = (long) heads * width * keys;
    return (int) Math.max(1, Math.min(n, budget / Math.max(1, perRow)));
  }

  /** The shortest common prefix worth one extra forward pass of its own. */
  static final int MIN_SHARED_PREFIX = 8;

  /**
   * The shared prefix's keys and values as the first pass's past ones: one forward pass over the prefix alone
   * (positions from 0, causal), per layer keys then values (1, H, shared, D), broadcast (not copied) to the batch's
   * {@code n} sequences; the layers' concatenation with the suffix's keys makes the batch's copy.
   */
  private NDList sharedPast(int[] prompt, int shared, int n, ParameterStore ps, NDManager step) {
    long[] ids = new long[shared];
    long[] positions = new long[shared];
    float[] mask = new float[shared * shared];
    for (int i = 0; i < shared; i++) {
      ids[i] = prompt[i];
      positions[i] = i;
      Arrays.fill(mask, i * shared + i + 1, (i + 1) * shared, LanguageModel.MASKED);
    }
    NDList out = model.forwardRaw(ps, new NDList(
        step.create(ids, new Shape(1, shared)),
        step.create(positions, new Shape(1, shared)),
        step.create(mask, new Shape(1, 1, shared, shared))));
    NDList past = new NDList(out.size() - 1);
    for (int i = 1; i < out.size(); i++) {
      NDArray a = out.get(i);
      Shape s = a.getShape();
      NDArray wide = a.broadcast(new Shape(n, s.get(1), s.get(2), s.get(3)));
      wide.attach(step);
      past.add(wide);
    }
    return past;
  }

  /** {@link #sharedPrefixTokens}: prompt tokens not computed because a batch shared them. Thread-safe. */
  long sharedPrefixTokens() {
    return sharedPrefixTokens.get();
  }

  /**
   * The reused caches as the first pass's past keys and values: per layer keys then values, each (B, H, cached, D),
   * sequence {@code b}'s first {@code reuse[b]} cached tokens right-aligned after zeros (masked).
   */
  private NDList past(KvCache.Hit[] hits, int[] reuse, int cached, NDManager step) {
    KvCache.Hit any = Arrays.stream(hits).filter(h -> h != null).findFirst().orElseThrow();
    int arrays = any.entry().arrays().size(); // per layer keys and values, then any state of the head's (copy)
    NDList past = new NDList(arrays);
    for (int a = 0; a < arrays; a++) {
      long heads = any.entry().arrays().get(a).getShape().get(1); // the architecture's key/value heads and width
      long headWidth = any.entry().arrays().get(a).getShape().get(3);
      NDList rows = new NDList(reuse.length);
      for (int b = 0; b < reuse.length; b++) {
        NDList parts = new NDList(2);
        if (reuse[b] < cached) {
          parts.add(step.zeros(new Shape(1, heads, cached - reuse[b], headWidth)));
        }
        if (reuse[b] > 0) {
          NDArray a0 = hits[b].entry().arrays().get(a);
          parts.add(reuse[b] == a0.getShape().get(2) ? a0 : a0.get(new NDIndex(":, :, :{}", reuse[b])));
        }
        rows.add(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 2));
      }
      NDArray layer = NDArrays.concat(rows, 0);
      layer.attach(step);
      past.add(layer);
    }
    return past;
  }

  /**
   * Sequence {@code b}'s cache entry: the ids it read and wrote except the last output token (never fed), and their
   * keys and values, gathered from its valid columns of the batch's cache onto a manager of the entry's own.
   */
  private KvCache.Entry entry(int b, int[] prompt, int[] output, BitSet valid, NDList kv, long version) {
    int[] ids = Arrays.copyOf(prompt, prompt.length + output.length - 1);
    System.arraycopy(output, 0, ids, prompt.length, output.length - 1);
    if (valid.cardinality() != ids.length) {
      throw new IllegalStateException("sequence " + b + " has " + valid.cardinality() + " cached columns for "
          + ids.length + " tokens");
    }
    NDManager own = model.manager().newSubManager();
    try {
      NDList arrays = new NDList(kv.size());
      for (NDArray a : kv) {
        NDList runs = new NDList();
        for (int from = valid.nextSetBit(0); from >= 0; ) {
          int to = valid.nextClearBit(from);
          runs.add(a.get(new NDIndex("{}:{}, :, {}:{}", b, b + 1, from, to)));
          from = valid.nextSetBit(to);
        }
        NDArray row = runs.size() == 1 ? runs.get(0).duplicate() : NDArrays.concat(runs, 2);
        row.attach(own);
        arrays.add(row);
      }
      return new KvCache.Entry(ids, arrays, own, version);
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
  }

  /** Moves the cache part of a forward pass's output (everything after the logits) to {@code manager}. */
  private static NDList keep(NDList out, NDManager manager) {
    return keepAll(out.subNDList(1), manager);
  }

  /** Moves every array of {@code arrays} to {@code manager}. */
  private static NDList keepAll(NDList arrays, NDManager manager) {
    NDList cache = new NDList(arrays.size());
    for (int i = 0; i < arrays.size(); i++) {
      NDArray a = arrays.get(i);
      a.attach(manager);
      cache.add(a);
    }
    return cache;
  }
}
