package dev.ludus.runner.learn;

/**
 * What one {@link PolicyLearner#preferenceStep} did; every statistic is measured before the step, as TRL's
 * {@code DPOTrainer} logs them.
 *
 * @param loss the mean loss over the pairs ({@link PreferenceLoss})
 * @param accuracy the share of pairs whose implicit reward margin {@code Δ} is above 0 (TRL's
 *     {@code rewards/accuracies})
 * @param margin the mean {@code β·Δ} ({@code rewards/margins})
 * @param chosenReward the mean implicit reward of the chosen responses, {@code β·(log π(y_w) − log π_ref(y_w))}
 * @param rejectedReward the mean implicit reward of the rejected responses
 * @param entropy the mean entropy of the policy's next-token distribution at the responses' tokens, in nats
 * @param gradNorm the global L2 norm of the gradient before clipping
 * @param pairs pairs trained on
 * @param tokens agent tokens trained on, both sides
 * @param applied whether the optimizer stepped (false only for a non-finite gradient)
 * @param policyVersion the policy's version after the step
 * @param step optimizer steps taken so far, this one included
 * @param rows rows of the forward passes
 * @param paddedCells the cells of the forward passes (each micro-batch's rows times its longest row, summed)
 */
public record PreferenceStats(
    double loss,
    double accuracy,
    double margin,
    double chosenReward,
    double rejectedReward,
    double entropy,
    double gradNorm,
    int pairs,
    long tokens,
    boolean applied,
    long policyVersion,
    long step,
    int rows,
    long paddedCells) {}
