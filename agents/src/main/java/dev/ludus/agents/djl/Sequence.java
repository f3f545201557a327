package dev.ludus.agents.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One sequence being generated: its request, the prompt the model reads (after any cut), its own sampling generator
 * and what it produced so far. {@link #sample} chooses its next token from its row of logits and decides whether it
 * is finished; both the per-batch {@link Generator} and the per-step {@link StepBatcher} drive sequences through it,
 * so a sequence's tokens depend only on its seed and its logits, whatever batch it runs in. Not thread-safe: one
 * generation thread owns it.
 */
final class Sequence {
  private final Generator.Request request;
  private final int[] prompt;
  private final SplittableRandom rng;
  private int[] outputs = new int[16];
  private float[] logProbs = new float[16];
  private int size;
  private final List<int[]> topIds = new ArrayList<>();
  private final List<float[]> topLogProbs = new ArrayList<>();
  private String finish;

  /** A sequence that reads {@code prompt} (the request's prompt, cut to fit the context) and samples with its seed. */
  Sequence(Generator.Request request, int[] prompt) {
    this.request = request;
    this.prompt = prompt;
    this.rng = new SplittableRandom(request.seed());
  }

  Generator.Request request() {
    return request;
  }

  int[] prompt() {
    return prompt;
  }

  /** Tokens generated so far. */
  int generated() {
    return size;
  }

  /** The last generated token: what the next decoding step feeds. */
  int lastToken() {
    return outputs[size - 1];
  }

  /** The position of the last generated token (positions count from the prompt's first token). */
  int lastPosition() {
    return prompt.length + size - 1;
  }

  /** Whether the sequence has ended (end of sequence, a stop string, its token budget or the context). */
  boolean finished() {
    return finish != null;
  }

  /**
   * Chooses the next token from the row of logits at {@code offset} (whose excluded ids it sets to {@code −∞} first),
   * records it with its log-prob and, when asked, the most likely alternatives, and returns whether the sequence
   * goes on.
   */
  boolean sample(float[] logits, int offset, int vocab, int[] excluded, LmTokenizer tokenizer, int context) {
    Sampler.exclude(logits, offset, excluded);
    if (request.topLogprobs() > 0) {
      double t = request.sampling().greedy() ? 1.0 : request.sampling().temperature();
      int[] best = Sampler.topOrder(logits, offset, vocab, Math.min(request.topLogprobs(), vocab));
      double lse = Sampler.logSumExp(logits, offset, vocab, t);
      float[] lps = new float[best.length];
      for (int i = 0; i < best.length; i++) {
        lps[i] = (float) (logits[offset + best[i]] / t - lse);
      }
      topIds.add(best);
      topLogProbs.add(lps);
    }
    Sampler.Choice c = Sampler.choose(logits, offset, vocab, request.sampling(), rng);
    if (size == outputs.length) {
      outputs = Arrays.copyOf(outputs, 2 * size);
      logProbs = Arrays.copyOf(logProbs, 2 * size);
    }
    outputs[size] = c.token();
    logProbs[size] = c.logProb();
    size++;
    if (c.token() == tokenizer.eosId() || hitsStop(tokenizer)) {
      finish = "stop";
    } else if (size >= request.maxNewTokens() || prompt.length + size >= context) {
      finish = "length";
    }
    return finish == null;
  }

  /** The generated tokens so far. */
  int[] outputs() {
    return Arrays.copyOf(outputs, size);
  }

  /** The finished sequence as a result stamped with {@code version}. */
  Generator.Result result(LmTokenizer tokenizer, long version) {
    int[] o = outputs();
    return new Generator.Result(prompt, o, Arrays.copyOf(logProbs, size), text(o, tokenizer), finish, version,
        topIds.toArray(new int[0][]), topLogProbs.toArray(new float[0][]));
  }

  private boolean hitsStop(LmTokenizer tokenizer) {
    List<String> stops = request.stops();
    if (stops.isEmpty()) {
      return false;
    }
    String text = tokenizer.decode(outputs());
    return stops.stream().anyMatch(text::contains);
  }

  private String text(int[] output, LmTokenizer tokenizer) {
    int end = output.length;
    if (end > 0 && output[end - 1] == tokenizer.eosId()) {
      end--;
    }
    String text = tokenizer.decode(Arrays.copyOf(output, end));
    int cut = text.length();
    for (String s : request.stops()) {
      int at = text.indexOf(s);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return text.substring(0, cut);
  }
}
