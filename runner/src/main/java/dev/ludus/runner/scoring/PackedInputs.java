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
 * sequence's tokens get exactly the hidden states they would get alone. Stateless.
 */
final class PackedInputs {
  private PackedInputs() {}

  /** The inputs (ids, positions, additive mask, then per layer the opening's keys and values) on {@code m}. */
  static NDList of(LanguageModel model, NDManager m, ParameterStore ps, int[] opening, PrefixPacking p) {
    int l = opening.length;
    long[] positions = p.positions();
    NDArray mask = m.create(p.allowed(), new Shape(p.rows(), 1, p.width(), p.width())).sub(1f).mul(1e9f);
    if (l == 0) {
      return new NDList(m.create(p.ids(), new Shape(p.rows(), p.width())),
          m.create(positions, new Shape(p.rows(), p.width())), mask);
    }
    long[] ids = new long[l];
    long[] pos = new long[l];
    float[] causal = new float[l * l];
    for (int i = 0; i < l; i++) {
      ids[i] = opening[i];
      pos[i] = i;
      for (int j = i + 1; j < l; j++) {
        causal[i * l + j] = -1e9f;
      }
    }
    NDList out = model.block().forward(ps, new NDList(m.create(ids, new Shape(1, l)),
        m.create(pos, new Shape(1, l)), m.create(causal, new Shape(1, 1, l, l))), false);
    positions = positions.clone();
    for (int i = 0; i < positions.length; i++) {
      positions[i] += l;
    }
    NDArray seeOpening = m.zeros(new Shape(p.rows(), 1, p.width(), l));
    NDList inputs = new NDList(m.create(p.ids(), new Shape(p.rows(), p.width())),
        m.create(positions, new Shape(p.rows(), p.width())), seeOpening.concat(mask, 3));
    for (int k = 1; k < out.size(); k++) {
      Shape kv = out.get(k).getShape();
      inputs.add(out.get(k).broadcast(new Shape(p.rows(), kv.get(1), kv.get(2), kv.get(3))));
    }
    return inputs;
  }
}
