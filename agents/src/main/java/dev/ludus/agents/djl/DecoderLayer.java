package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LN transformer decoder layer: {@code x + Attn(LN(x))}, then {@code x + MLP(LN(x))}, with causal
 * multi-head self-attention written from NDArray operations (DJL has no causal decoder block) and a GELU
 * MLP four times as wide as the model.
 *
 * <p>Inputs: {@code x} (B, T, C); the additive attention mask (B, 1, T, Tk), 0 where a query may look at a
 * key and -1e9 where it may not; with rotary positions, the cosine and sine tables (B, 1, T, C/H) of {@link
 * Rotary#tables}, which rotate the queries and the new keys (cached keys are kept rotated); optionally the cached
 * keys and values of earlier positions, each (B, H, Tk - T, C/H). Outputs: the new {@code x} and the keys and
 * values of all Tk positions, for the next decoding step. Masked scores use a large finite value rather than minus infinity so that a row with every
 * key masked (a padding query) gives a uniform, finite softmax instead of NaN; its weights on real keys are
 * still exactly zero after the exponent underflows.
 */
final class DecoderLayer extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int width;
  private final int heads;
  private final boolean rotary;
  private final LayerNorm attentionNorm;
  private final Linear qkv;
  private final Linear attentionOut;
  private final LayerNorm mlpNorm;
  private final Linear mlpIn;
  private final Linear mlpOut;

  DecoderLayer(int width, int heads, boolean rotary) {
    super(VERSION);
    this.width = width;
    this.heads = heads;
    this.rotary = rotary;
    attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
    attentionOut = addChildBlock("attentionOut", Linear.builder().setUnits(width).build());
    mlpNorm = addChildBlock("mlpNorm", LayerNorm.builder().axis(2).build());
    mlpIn = addChildBlock("mlpIn", Linear.builder().setUnits(4L * width).build());
    mlpOut = addChildBlock("mlpOut", Linear.builder().setUnits(width).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long headWidth = width / heads;

    NDArray h = attentionNorm.forward(ps, new NDList(x), training).singletonOrThrow();
    NDList parts = qkv.forward(ps, new NDList(h), training).singletonOrThrow().split(3, 2);
    NDArray q = splitHeads(parts.get(0), b, t, headWidth);
    NDArray k = splitHeads(parts.get(1), b, t, headWidth);
    NDArray v = splitHeads(parts.get(2), b, t, headWidth);
    int past = 2;
    if (rotary) {
      q = Rotary.rotate(q, inputs.get(2), inputs.get(3));
      k = Rotary.rotate(k, inputs.get(2), inputs.get(3));
      past = 4;
    }
    if (inputs.size() > past) {
      k = inputs.get(past).concat(k, 2);
      v = inputs.get(past + 1).concat(v, 2);
    }
    // the 1/sqrt(d) scale on the queries (B, H, T, d) rather than on the scores (B, H, T, Tk): the same product,
    // a tenth of the elements at the training default's d = 16 and context 160, forward and backward
    NDArray scores = q.mul(1.0 / Math.sqrt(headWidth)).matMul(k.transpose(0, 1, 3, 2)).add(mask);
    NDArray attended = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, width);
    x = x.add(attentionOut.forward(ps, new NDList(attended), training).singletonOrThrow());

    NDArray m = mlpNorm.forward(ps, new NDList(x), training).singletonOrThrow();
    m = Activation.gelu(mlpIn.forward(ps, new NDList(m), training).singletonOrThrow());
    x = x.add(mlpOut.forward(ps, new NDList(m), training).singletonOrThrow());
    return new NDList(x, k, v);
  }

  private NDArray splitHeads(NDArray a, long b, long t, long headWidth) {
    return a.reshape(b, t, heads, headWidth).transpose(0, 2, 1, 3);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    attentionNorm.initialize(manager, dataType, x);
    qkv.initialize(manager, dataType, x);
    attentionOut.initialize(manager, dataType, x);
    mlpNorm.initialize(manager, dataType, x);
    mlpIn.initialize(manager, dataType, x);
    mlpOut.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 4L * width));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    Shape kv = new Shape(x.get(0), heads, inputShapes[1].get(3), width / heads);
    return new Shape[] {x, kv, kv};
  }
}
