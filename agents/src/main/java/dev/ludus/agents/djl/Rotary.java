package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings (RoPE; Su et al. 2021, "RoFormer: Enhanced Transformer with Rotary Position Embedding"):
 * each head's queries and keys are rotated by their position times a set of frequencies, so that a query-key score
 * depends on the two tokens and on their distance only, never on where the pair sits. The layout is Hugging Face
 * Transformers' ({@code rotate_half}: the head's two halves form the pairs), which the {@code hf} architectures read
 * their weights in. Stateless and thread-safe.
 */
public final class Rotary {
  private Rotary() {}

  /** The default frequencies of a head of {@code headWidth} (even): {@code theta^(-2i/headWidth)}, i below half. */
  public static float[] inverseFrequencies(int headWidth, double theta) {
    float[] f = new float[headWidth / 2];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headWidth));
    }
    return f;
  }

  /**
   * The cosine and sine tables (B, 1, T, headWidth) of the position ids (B, T), laid out as {@code cat(freqs,
   * freqs)}; broadcast over the heads of (B, H, T, headWidth) queries and keys.
   */
  public static NDList tables(NDArray positions, float[] inverseFrequencies) {
    NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(2)
        .mul(positions.getManager().create(inverseFrequencies).reshape(1, 1, inverseFrequencies.length));
    NDArray angles = freqs.concat(freqs, 2).expandDims(1);
    return new NDList(angles.cos(), angles.sin());
  }

  /** {@code x} (B, H, T, headWidth) rotated by the tables of {@link #tables}: {@code x·cos + rotate_half(x)·sin}. */
  public static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    long half = x.getShape().get(3) / 2;
    NDArray x1 = x.get(new NDIndex("..., :{}", half));
    NDArray x2 = x.get(new NDIndex("..., {}:", half));
    return x.mul(cos).add(x2.neg().concat(x1, 3).mul(sin));
  }
}
