package dev.ludus.runner.learn;

/**
 * What one {@link PolicyLearner#update} did. Every average is taken over the output tokens only, with the
 * weights of the configured {@link LearnerConfig.LossAggregation} (token mean or sequence mean), so that
 * {@code loss = policyLoss + klCoefficient·kl − entropyCoefficient·entropy + valueCoefficient·valueLoss
 * + ptxCoefficient·ptxLoss} up to
 * float rounding. The value statistics are over the turns that carry a value target (all 0 when none does:
 * an estimator without a critic).
 *
 * @param loss the minimized objective
 * @param policyLoss the PPO-clip surrogate, {@code max(−A·ratio, −A·clip(ratio))}
 * @param kl the estimated KL to the reference policy, or 0 when the learner has no reference model (with a
 *     reference model it is reported even when its coefficient is 0)
 * @param entropy the mean entropy of the next-token distribution at output positions, in nats
 * @param clipFraction the share of output tokens whose clipped term was the binding one (its gradient is zero):
 *     {@code clipFractionHigh + clipFractionLow}
 * @param clipFractionHigh the share clipped at {@code 1 + ε}: positive advantage, ratio above {@code 1 + ε}
 * @param clipFractionLow the share clipped at {@code 1 − ε}: negative advantage, ratio below {@code 1 − ε}
 * @param dualClipFraction the share whose loss the dual clip bounded: negative advantage, ratio above the dual-clip
 *     constant {@code c} (0 with the dual clip off)
 * @param ratioMean the mean importance ratio {@code exp(logp_new − logp_behaviour)}; 1 on fresh samples
 * @param ratioMin the smallest importance ratio of an output token (unweighted)
 * @param ratioMax the largest importance ratio of an output token (unweighted)
 * @param behaviourKl the estimated KL from the behaviour policy to the current one before the step,
 *     {@code mean(ratio − 1 − log ratio)} (Schulman's k3 over the behaviour's samples; PPO's "approx KL"): how far
 *     the policy has moved from the one that sampled the batch
 * @param valueLoss the clipped value loss {@code 0.5·max((V − R)², (clip(V) − R)²)} before its coefficient
 * @param valueMean the mean value {@code V} the critic gave the turns' states, before the step
 * @param valueExplainedVariance {@code 1 − Var(R − V) / Var(R)} over the turns, before the step: 1 for a
 *     perfect critic, 0 for one no better than the mean return, negative for a worse one; 0 when the targets
 *     do not vary
 * @param valueClipFraction the share of turns whose clipped value term was the binding one
 * @param valueSamples the samples that carried a value target (0 without a critic)
 * @param gradNorm the global L2 norm of the gradient before clipping; 0 for an update refused at the trust region
 *     ({@code klStopped}), whose gradient is discarded unmeasured
 * @param tokens output tokens trained on
 * @param samples samples (agent turns) trained on, packed or not
 * @param applied whether the optimizer stepped; false only when the gradient was not finite, in which case the
 *     weights and the policy version are unchanged
 * @param policyVersion the policy's version after the update
 * @param step optimizer steps taken so far, this one included
 * @param rows rows of the forward passes: one per sample in the per-turn layout, one per packed row
 *     ({@link PackedSample}) in the packed layout
 * @param paddedCells the cells of the forward passes: each micro-batch's rows times its longest row, summed; the
 *     work of the update, of which {@code tokens} are trained on
 * @param ptxLoss the mean negative log-likelihood of the demonstrations' target tokens before the step (PPO-ptx,
 *     {@link LearnerConfig#ptxCoefficient()}; its weighted value is part of {@code loss}), plus with DAgger labels
 *     their own mean times {@link LearnerConfig#ptxLabelWeight()}; 0 without the term
 * @param ptxTokens the demonstrations' target tokens in the imitation term (0 without it); their forward passes
 *     are not counted in {@code rows} and {@code paddedCells}
 * @param klCoefficient the KL coefficient this update used (the adaptive controller's current one, else the
 *     configured one)
 * @param klStopped whether this update was not applied because its {@code behaviourKl} exceeded the trust region,
 *     {@code 1.5 · targetKl} ({@link LearnerConfig#targetKl()}): the iteration's updates end here
 */
public record UpdateStats(
    double loss,
    double policyLoss,
    double kl,
    double entropy,
    double clipFraction,
    double clipFractionHigh,
    double clipFractionLow,
    double dualClipFraction,
    double ratioMean,
    double ratioMin,
    double ratioMax,
    double behaviourKl,
    double valueLoss,
    double valueMean,
    double valueExplainedVariance,
    double valueClipFraction,
    int valueSamples,
    double gradNorm,
    long tokens,
    int samples,
    boolean applied,
    long policyVersion,
    long step,
    int rows,
    long paddedCells,
    double ptxLoss,
    long ptxTokens,
    double klCoefficient,
    boolean klStopped) {

  /** The statistics of an update without an imitation term, KL control or trust-region stop. */
  public UpdateStats(double loss, double policyLoss, double kl, double entropy, double clipFraction,
      double clipFractionHigh, double clipFractionLow, double dualClipFraction, double ratioMean, double ratioMin,
      double ratioMax, double behaviourKl, double valueLoss, double valueMean, double valueExplainedVariance,
      double valueClipFraction, int valueSamples, double gradNorm, long tokens, int samples, boolean applied,
      long policyVersion, long step, int rows, long paddedCells) {
    this(loss, policyLoss, kl, entropy, clipFraction, clipFractionHigh, clipFractionLow, dualClipFraction, ratioMean,
        ratioMin, ratioMax, behaviourKl, valueLoss, valueMean, valueExplainedVariance, valueClipFraction, valueSamples,
        gradNorm, tokens, samples, applied, policyVersion, step, rows, paddedCells, 0, 0, 0, false);
  }

  /** The share of the forward passes' cells that were trained on: {@code tokens / paddedCells} (0 for none). */
  public double trainedTokenShare() {
    return paddedCells == 0 ? 0 : (double) tokens / paddedCells;
  }
}
