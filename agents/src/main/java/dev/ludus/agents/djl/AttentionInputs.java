package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The inputs of a {@link CausalLmBlock} without a cache for token ids and an attention mask of 1s (real tokens) and
 * 0s (padding, on either side): the ids, positions that count real tokens only (so a left-padded sequence gets the
 * same logits as the unpadded one) and the additive causal mask. Stateless.
 */
final class AttentionInputs {
  private AttentionInputs() {}

  /**
   * The block's inputs for ids (B, T) and mask (B, T), on the ids' manager.
   *
   * @throws IllegalArgumentException if T exceeds {@code context}
   */
  static NDList of(NDArray tokenIds, NDArray attentionMask, int context) {
    long b = tokenIds.getShape().get(0);
    int t = Math.toIntExact(tokenIds.getShape().get(1));
    if (t > context) {
      throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the context of " + context);
    }
    NDManager m = tokenIds.getManager();
    NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
    NDArray positions = mask.cumSum(1).sub(1f).maximum(0f).toType(DataType.INT64, false);
    float[] causal = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j <= i; j++) {
        causal[i * t + j] = 1f;
      }
    }
    NDArray allowed = m.create(causal, new Shape(1, 1, t, t)).mul(mask.reshape(b, 1, 1, t));
    NDArray additive = allowed.sub(1f).mul(-LanguageModel.MASKED);
    return new NDList(tokenIds.toType(DataType.INT64, false), positions, additive);
  }
}
