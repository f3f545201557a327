package dev.ludus.agents.djl;

import java.util.Locale;

/**
 * What a {@code djl-lm} agent's generation worker has done since it started.
 *
 * @param batches batched generations (each one prompt pass and its decoding steps)
 * @param sequences replies generated in them
 * @param largestBatch the most replies in one batch
 * @param sharedPrefixTokens prompt tokens not computed because a batch's prompts shared them (see the generator's
 *     shared prefix: the common prefix is computed once per batch instead of once per reply)
 */
public record GenerationStatistics(long batches, long sequences, int largestBatch, long sharedPrefixTokens) {
  /** Replies per batch on average; 0 before the first batch. */
  public double meanBatchSize() {
    return batches == 0 ? 0 : (double) sequences / batches;
  }

  /** One line for logs: batches, their mean and largest size, and the prompt tokens shared prefixes saved. */
  public String summary() {
    return String.format(Locale.ROOT, "%d batches of %.1f replies on average (largest %d), %d prompt tokens saved by "
        + "shared prefixes", batches, meanBatchSize(), largestBatch, sharedPrefixTokens);
  }
}
