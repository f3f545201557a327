package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Lock;

/**
 * Batched autoregressive generation with a key/value cache.
 *
 * <p>It never emits a special token ({@link #excludedIds}) except end-of-sequence, which ends the reply.
 *
 * <p>Prompts of different lengths are left-padded into one (B, T0) batch; padding keys are masked and each
 * sequence's positions count from its own first real token, so a sequence's logits do not depend on its
 * batch-mates (up to float rounding). The first pass reads the whole prompts and keeps every layer's keys and
 * values; each later step feeds one token per sequence and appends to the cache. Sequences that have finished
 * are fed padding until the last one finishes. Each sequence samples with its own generator, seeded from its
 * request. Per-step arrays live on a sub-manager closed after the step; the cache moves to a fresh
 * sub-manager each step, so memory stays bounded by one step plus the cache.
 *
 * <p>Not thread-safe by itself: {@link dev.ludus.api.batch.Batcher} calls it from its one thread. The model's read lock is
 * held for the whole batch, so all its tokens come from one policy version.
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
   */
  record Request(int[] prompt, Sampling sampling, long seed, int maxNewTokens, List<String> stops) {}

  /**
   * A generated continuation.
   *
   * @param promptIds the prompt the model saw (after any cut)
   * @param outputIds every generated token, including a final end-of-sequence token
   * @param logProbs each generated token's log-prob (see {@link Sampling})
   * @param text the decoded output, without end-of-sequence and cut before a stop string
   * @param finishReason {@code stop} (end of sequence or a stop string) or {@code length}
   * @param policyVersion the model version that produced it
   */
  record Result(int[] promptIds, int[] outputIds, float[] logProbs, String text, String finishReason,
      long policyVersion) {}

  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final int[] excluded;

  Generator(LanguageModel model, LmTokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.excluded = excludedIds(tokenizer);
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

  private List<Result> run(List<Request> requests, NDManager batch) {
    long version = model.version();
    int context = model.spec().context();
    int vocab = model.spec().vocabSize();
    int n = requests.size();
    int[][] prompts = new int[n][];
    for (int b = 0; b < n; b++) {
      Request r = requests.get(b);
      int keep = Math.min(r.prompt().length, context - r.maxNewTokens());
      if (keep < 1) {
        throw new IllegalArgumentException("a prompt needs at least one token and maxNewTokens ("
            + r.maxNewTokens() + ") must be below the context (" + context + ")");
      }
      prompts[b] = Arrays.copyOfRange(r.prompt(), r.prompt().length - keep, r.prompt().length);
    }
    int width = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElseThrow();
    int[] pads = Arrays.stream(prompts).mapToInt(p -> width - p.length).toArray();
    ParameterStore ps = new ParameterStore(batch, false);

    long[] ids = new long[n * width];
    long[] positions = new long[n * width];
    float[] mask = new float[n * width * width];
    Arrays.fill(ids, tokenizer.padId());
    for (int b = 0; b < n; b++) {
      for (int j = pads[b]; j < width; j++) {
        ids[b * width + j] = prompts[b][j - pads[b]];
        positions[b * width + j] = j - pads[b];
      }
      for (int i = 0; i < width; i++) {
        for (int j = 0; j < width; j++) {
          mask[(b * width + i) * width + j] = j <= i && j >= pads[b] ? 0f : LanguageModel.MASKED;
        }
      }
    }

    NDManager cacheManager = batch.newSubManager();
    NDList cache;
    float[] last;
    try (NDManager step = batch.newSubManager()) {
      NDList out = model.forwardRaw(ps, new NDList(
          step.create(ids, new Shape(n, width)),
          step.create(positions, new Shape(n, width)),
          step.create(mask, new Shape(n, 1, width, width))));
      last = out.get(0).get(new NDIndex(":, -1, :")).toFloatArray();
      cache = keep(out, cacheManager);
    }

    SplittableRandom[] rngs = new SplittableRandom[n];
    List<List<Integer>> outputs = new ArrayList<>(n);
    List<List<Float>> logProbs = new ArrayList<>(n);
    String[] finish = new String[n];
    for (int b = 0; b < n; b++) {
      rngs[b] = new SplittableRandom(requests.get(b).seed());
      outputs.add(new ArrayList<>());
      logProbs.add(new ArrayList<>());
    }
    int keys = width;
    while (true) {
      int active = 0;
      for (int b = 0; b < n; b++) {
        if (finish[b] != null) {
          continue;
        }
        Request r = requests.get(b);
        Sampler.exclude(last, b * vocab, excluded);
        Sampler.Choice c = Sampler.choose(last, b * vocab, vocab, r.sampling(), rngs[b]);
        List<Integer> o = outputs.get(b);
        o.add(c.token());
        logProbs.get(b).add(c.logProb());
        if (c.token() == tokenizer.eosId() || hitsStop(o, r.stops())) {
          finish[b] = "stop";
        } else if (o.size() >= r.maxNewTokens() || prompts[b].length + o.size() >= context) {
          finish[b] = "length";
        } else {
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
      for (int b = 0; b < n; b++) {
        List<Integer> o = outputs.get(b);
        boolean live = finish[b] == null;
        next[b] = live ? o.get(o.size() - 1) : tokenizer.padId();
        nextPositions[b] = live ? prompts[b].length + o.size() - 1 : 0;
        Arrays.fill(nextMask, b * keys, b * keys + pads[b], LanguageModel.MASKED);
      }
      try (NDManager step = batch.newSubManager()) {
        NDList in = new NDList(
            step.create(next, new Shape(n, 1)),
            step.create(nextPositions, new Shape(n, 1)),
            step.create(nextMask, new Shape(n, 1, 1, keys)));
        in.addAll(cache);
        NDList out = model.forwardRaw(ps, in);
        last = out.get(0).toFloatArray();
        NDManager nextCache = batch.newSubManager();
        cache = keep(out, nextCache);
        cacheManager.close();
        cacheManager = nextCache;
      }
    }
    cacheManager.close();

    List<Result> results = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      int[] o = outputs.get(b).stream().mapToInt(Integer::intValue).toArray();
      float[] lp = new float[o.length];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = logProbs.get(b).get(i);
      }
      results.add(new Result(prompts[b], o, lp, text(o, requests.get(b).stops()), finish[b], version));
    }
    return results;
  }

  /** Moves the cache part of a forward pass's output (everything after the logits) to {@code manager}. */
  private static NDList keep(NDList out, NDManager manager) {
    NDList cache = new NDList(out.size() - 1);
    for (int i = 1; i < out.size(); i++) {
      NDArray a = out.get(i);
      a.attach(manager);
      cache.add(a);
    }
    return cache;
  }

  private boolean hitsStop(List<Integer> output, List<String> stops) {
    if (stops.isEmpty()) {
      return false;
    }
    String text = tokenizer.decode(output.stream().mapToInt(Integer::intValue).toArray());
    return stops.stream().anyMatch(text::contains);
  }

  private String text(int[] output, List<String> stops) {
    int end = output.length;
    if (end > 0 && output[end - 1] == tokenizer.eosId()) {
      end--;
    }
    String text = tokenizer.decode(Arrays.copyOf(output, end));
    int cut = text.length();
    for (String s : stops) {
      int at = text.indexOf(s);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return text.substring(0, cut);
  }
}
