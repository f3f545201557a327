package dev.ludus.agents.djl;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Chooses one token from a row of logits under a {@link Sampling}, in double precision on the Java side.
 * Draws exactly one uniform number per sampled token from the sequence's own generator, so a sequence's
 * tokens depend only on its seed and its logits, never on which other sequences share its batch. Ids that must
 * never be emitted (the tokenizer's special tokens other than end-of-sequence) are first set to {@code −∞} with
 * {@link #exclude}, so they have probability 0 in every mode, greedy included, and the reported log-probability
 * is that of the distribution over the other ids (what {@link TrainablePolicy#logits} describes). Stateless.
 */
final class Sampler {
  private Sampler() {}

  /** A chosen token and its log-probability (see {@link Sampling} for which one). */
  record Choice(int token, float logProb) {}

  /** Sets the logits of {@code ids} in the row at {@code offset} to {@code −∞}: they can no longer be chosen. */
  static void exclude(float[] logits, int offset, int[] ids) {
    for (int id : ids) {
      logits[offset + id] = Float.NEGATIVE_INFINITY;
    }
  }

  static Choice choose(float[] logits, int offset, int vocab, Sampling s, SplittableRandom rng) {
    if (s.greedy()) {
      int best = 0;
      for (int i = 1; i < vocab; i++) {
        if (logits[offset + i] > logits[offset + best]) {
          best = i;
        }
      }
      return new Choice(best, (float) (logits[offset + best] - logSumExp(logits, offset, vocab, 1.0)));
    }
    double t = s.temperature();
    boolean filtered = (s.topK() > 0 && s.topK() < vocab) || s.topP() < 1;
    if (!filtered) {
      double lse = logSumExp(logits, offset, vocab, t);
      double u = rng.nextDouble();
      double cum = 0;
      int chosen = -1;
      for (int i = 0; i < vocab; i++) {
        double p = Math.exp(logits[offset + i] / t - lse);
        if (p > 0) {
          chosen = i;
        }
        cum += p;
        if (u < cum) {
          break;
        }
      }
      return new Choice(chosen, (float) (logits[offset + chosen] / t - lse));
    }
    int[] order = topOrder(logits, offset, vocab, s.topK() > 0 ? Math.min(s.topK(), vocab) : vocab);
    double max = logits[offset + order[0]] / t;
    double[] p = new double[order.length];
    double sum = 0;
    for (int i = 0; i < order.length; i++) {
      p[i] = Math.exp(logits[offset + order[i]] / t - max);
      sum += p[i];
    }
    int keep = order.length;
    if (s.topP() < 1) {
      double cum = 0;
      for (int i = 0; i < order.length; i++) {
        cum += p[i] / sum;
        if (cum >= s.topP()) {
          keep = i + 1;
          break;
        }
      }
    }
    double kept = 0;
    for (int i = 0; i < keep; i++) {
      kept += p[i];
    }
    double u = rng.nextDouble() * kept;
    double cum = 0;
    int chosen = -1;
    for (int i = 0; i < keep; i++) {
      if (p[i] > 0) {
        chosen = i; // the last possible one, should rounding leave u at or above the total
      }
      cum += p[i];
      if (u < cum && p[i] > 0) {
        break;
      }
    }
    return new Choice(order[chosen], (float) Math.log(p[chosen] / kept));
  }

  /** The ids of the {@code k} largest logits, largest first, the lower id first among equals. */
  static int[] topOrder(float[] logits, int offset, int vocab, int k) {
    Comparator<Integer> better = (a, b) -> {
      int c = Float.compare(logits[offset + b], logits[offset + a]);
      return c != 0 ? c : Integer.compare(a, b);
    };
    if (k >= vocab) {
      return IntStream.range(0, vocab).boxed().sorted(better).mapToInt(Integer::intValue).toArray();
    }
    PriorityQueue<Integer> worstFirst = new PriorityQueue<>(k + 1, better.reversed());
    for (int i = 0; i < vocab; i++) {
      worstFirst.add(i);
      if (worstFirst.size() > k) {
        worstFirst.poll();
      }
    }
    return worstFirst.stream().sorted(better).mapToInt(Integer::intValue).toArray();
  }

  static double logSumExp(float[] logits, int offset, int vocab, double t) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i] / t);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(logits[offset + i] / t - max);
    }
    return max + Math.log(sum);
  }
}
