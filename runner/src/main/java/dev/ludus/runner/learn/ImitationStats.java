package dev.ludus.runner.learn;

/**
 * What one {@link PolicyLearner#imitate} step did.
 *
 * @param loss the mean negative log-likelihood of the target tokens (nats per token, or the mean over
 *     demonstrations of each one's per-token mean, as the configured aggregation says), before the step
 * @param tokenAccuracy the share of target tokens that are the policy's most likely next token (greedy decoding
 *     would write them), before the step; counted exactly, so 1 means every one
 * @param entropy the mean entropy of the policy's next-token distribution at target positions, in nats, before
 *     the step (weighted as the loss)
 * @param gradNorm the global L2 norm of the gradient before clipping
 * @param tokens target tokens trained on
 * @param samples demonstrations trained on
 * @param applied whether the optimizer stepped (false only for a non-finite gradient)
 * @param policyVersion the policy's version after the step
 * @param step optimizer steps taken so far, this one included
 * @param rows rows of the forward passes: one per demonstration, or fewer where they were packed
 *     ({@link LearnerConfig#packing()})
 * @param paddedCells the cells of the forward passes (each micro-batch's rows times its longest row, summed)
 */
public record ImitationStats(
    double loss,
    double tokenAccuracy,
    double entropy,
    double gradNorm,
    long tokens,
    int samples,
    boolean applied,
    long policyVersion,
    long step,
    int rows,
    long paddedCells) {
  /** The share of the forward passes' cells that were trained on: {@code tokens / paddedCells} (0 for none). */
  public double trainedTokenShare() {
    return paddedCells == 0 ? 0 : (double) tokens / paddedCells;
  }
}
