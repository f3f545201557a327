package dev.ludus.runner.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.LanguageModel;

/**
 * The block inputs of one pass over {@link PrefixPacking} rows that continue a common opening: the opening (may be
 * empty) is computed once, in a causal pass of its own, and its keys and values are broadcast to every row, whose
 * tokens see the whole opening and then their own ancestors at positions shifted by its length. So each packed
 * sequence's tokens get exactly the hidden states they would get alone. The additive mask is built in Java, opening
 * columns included, and becomes one array (no arithmetic or concatenation on the engine). Stateless.
 */
final class PackedInputs {
  /** The additive value of a masked attention cell, as the block's own masks use. */
  private static final float MASKED = -1e9f;

  private PackedInputs() {}

  /** The inputs (ids, positions, additive mask, then per layer the opening's keys and values) on {@code m}. */
  static NDList of(LanguageModel model, NDManager m, ParameterStore ps, int[] opening, PrefixPacking p) {
    return rows(m, opening.length, opening.length == 0 ? null : opening(model, m, ps, opening), p);
  }

  /** Per layer the keys and values (1, heads, L, headWidth) of {@code opening} (non-empty), from a causal pass. */
  static NDList opening(LanguageModel model, NDManager m, ParameterStore ps, int[] opening) {
    int l = opening.length;
    long[] ids = new long[l];
    long[] pos = new long[l];
    float[] causal = new float[l * l];
    for (int i = 0; i < l; i++) {
      ids[i] = opening[i];
      pos[i] = i;
      for (int j = i + 1; j < l; j++) {
        causal[i * l + j] = MASKED;
      }
    }
    NDList out = model.block().forward(ps, new NDList(m.create(ids, new Shape(1, l)),
        m.create(pos, new Shape(1, l)), m.create(causal, new Shape(1, 1, l, l))), false);
    return out.subNDList(1);
  }

  /**
   * The inputs of the rows of {@code p} after an opening of {@code l} tokens whose per-layer keys and values are
   * {@code openingKv} (null when {@code l} is 0).
   */
  static NDList rows(NDManager m, int l, NDList openingKv, PrefixPacking p) {
    int b = p.rows();
    int t = p.width();
    int tk = l + t;
    long[] positions = p.positions();
    if (l > 0) {
      positions = positions.clone();
      for (int i = 0; i < positions.length; i++) {
        positions[i] += l;
      }
    }
    float[] allowed = p.allowed();
    float[] mask = new float[b * t * tk];
    for (int q = 0; q < b * t; q++) {
      int from = q * t;
      int to = q * tk + l; // the opening's columns stay 0: every token sees the whole opening
      for (int j = 0; j < t; j++) {
        mask[to + j] = allowed[from + j] == 0f ? MASKED : 0f;
      }
    }
    NDList inputs = new NDList(m.create(p.ids(), new Shape(b, t)), m.create(positions, new Shape(b, t)),
        m.create(mask, new Shape(b, 1, t, tk)));
    if (openingKv != null) {
      for (NDArray kv : openingKv) {
        Shape s = kv.getShape();
        inputs.add(kv.broadcast(new Shape(b, s.get(1), s.get(2), s.get(3))));
      }
    }
    return inputs;
  }

}
