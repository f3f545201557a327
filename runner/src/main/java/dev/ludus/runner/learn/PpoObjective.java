package dev.ludus.runner.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * PPO's per-token policy loss with the dual clip (Ye et al. 2020; verl's {@code compute_policy_loss} with
 * {@code clip_ratio_c}), for importance ratio {@code r}, advantage {@code A}, clip range ε and dual-clip constant
 * {@code c}:
 * <pre>
 *   clip(r, A) = max(−A·r, −A·clip(r, 1 − ε, 1 + ε))
 *   loss(r, A) = A ≥ 0 ? clip(r, A) : min(clip(r, A), −A·c)       (c = 0: no dual clip, loss = clip)
 * </pre>
 * The law: for {@code A ≥ 0} the loss is plain PPO-clip; for {@code A < 0} it is PPO-clip capped at
 * {@code −A·c}, so it never exceeds {@code |A|·c}, and where {@code r > c} it is that constant and the token's
 * gradient is zero. Stateless; the scalar form is the specification the array form is tested against.
 */
final class PpoObjective {
  private PpoObjective() {}

  /** The per-token loss of arrays of ratios and advantages (same shape), with the graph of {@code ratio}. */
  static NDArray tokenLoss(NDArray ratio, NDArray advantages, float epsilon, double dualClip) {
    NDArray unclipped = ratio.mul(advantages).neg();
    NDArray clipped = ratio.clip(1 - epsilon, 1 + epsilon).mul(advantages).neg();
    NDArray loss = unclipped.maximum(clipped);
    if (dualClip > 0) {
      NDArray negative = advantages.lt(0f).toType(DataType.FLOAT32, false);
      NDArray capped = loss.minimum(advantages.mul((float) -dualClip));
      loss = capped.mul(negative).add(loss.mul(negative.neg().add(1f)));
    }
    return loss;
  }

  /** The same loss for one token, in double precision. */
  static double tokenLoss(double ratio, double advantage, double epsilon, double dualClip) {
    double clippedRatio = Math.max(1 - epsilon, Math.min(1 + epsilon, ratio));
    double loss = Math.max(-advantage * ratio, -advantage * clippedRatio);
    return dualClip > 0 && advantage < 0 ? Math.min(loss, -advantage * dualClip) : loss;
  }
}
