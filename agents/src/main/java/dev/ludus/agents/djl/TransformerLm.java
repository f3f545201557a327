package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder-only transformer as a DJL block: token embedding plus learned position embedding (or, with
 * {@link LanguageModel.Positions#ROTARY}, no position embedding and rotary embeddings in every layer's attention),
 * {@code layers} {@link DecoderLayer}s, a final LayerNorm and a linear head to vocabulary logits; when the spec
 * asks for it, also a scalar value head (a linear map from the same final hidden states to one number, the
 * critic of PPO, as TRL's {@code AutoModelForCausalLMWithValueHead}), added last so that the other
 * parameters keep their order and their seeded initial values.
 *
 * <p>With {@link LanguageModel.Spec#copy()}, the head is a {@link CopyHead} (added after the value head): its outputs
 * are normalized log-probabilities, and its per-position state follows the layers' keys and values in the outputs
 * and, cached, in the inputs.
 *
 * <p>Inputs: token ids (B, T) int64; position ids (B, T) int64, each below {@code context}; the additive
 * mask (B, 1, T, Tk); then optionally, per layer, the cached keys and values (and the copy head's cached state).
 * Outputs: logits (B, T, V) and, per layer, the keys and values of all Tk positions (then the copy head's state). Without a cache Tk = T. The block's forward pass never
 * computes the value head (generation does not need it); {@link #logitsAndValues} and {@link #values} do.
 * Generation uses {@link #lastLogits}, which computes the vocabulary head at the last position only.
 *
 * <p>Every operation's receiver is an activation, never a parameter array, so intermediate arrays land on
 * the caller's manager and the model's own manager holds nothing but the parameters.
 */
final class TransformerLm extends CausalLmBlock {
  private static final byte VERSION = 1;
  /** RoFormer's and Llama's base of the rotary frequencies. */
  static final double ROTARY_BASE = 10_000;

  private final LanguageModel.Spec spec;
  private final Parameter tokenEmbedding;
  /** The learned position embedding, or null with rotary positions. */
  private final Parameter positionEmbedding;
  /** The rotary frequencies of a head, or null with learned positions. */
  private final float[] rotaryFrequencies;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear head;
  private final Linear valueHead;
  /** The copy head, or null without one. */
  private final CopyHead copy;

  TransformerLm(LanguageModel.Spec spec) {
    super(VERSION);
    this.spec = spec;
    tokenEmbedding = addParameter(Parameter.builder()
        .setName("tokenEmbedding")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(spec.vocabSize(), spec.width()))
        .build());
    boolean rotary = spec.positions() == LanguageModel.Positions.ROTARY;
    positionEmbedding = rotary ? null : addParameter(Parameter.builder()
        .setName("positionEmbedding")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(spec.context(), spec.width()))
        .build());
    int headWidth = spec.width() / spec.heads();
    if (rotary && headWidth % 2 != 0) {
      throw new IllegalArgumentException("rotary positions need an even head width (width / heads), was " + headWidth);
    }
    rotaryFrequencies = rotary ? Rotary.inverseFrequencies(headWidth, ROTARY_BASE) : null;
    for (int i = 0; i < spec.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new DecoderLayer(spec.width(), spec.heads(), rotary)));
    }
    finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(2).build());
    head = addChildBlock("head", Linear.builder().setUnits(spec.vocabSize()).optBias(false).build());
    valueHead = spec.valueHead() ? addChildBlock("valueHead", Linear.builder().setUnits(1).build()) : null;
    copy = spec.copy() ? addChildBlock("copy", new CopyHead(spec.width(), spec.vocabSize())) : null;
  }

  /** With the copy head, the mixture of {@link CopyHead#mix} at the picked rows; else the vocabulary head's logits. */
  @Override
  protected NDArray outputs(ParameterStore ps, NDList trunk, Inputs inputs, Rows rows, boolean training) {
    if (copy == null) {
      return super.outputs(ps, trunk, inputs, rows, training);
    }
    if (!rows.keepsBatch()) { // cells of any sequence: the mixture of every position, then the cells' rows
      return rows.pick(outputs(ps, trunk, inputs, ALL, training));
    }
    NDArray hidden = rows.pick(trunk.get(0));
    return copy.mix(ps, hidden, head(ps, hidden, training), rows.pick(inputs.mask().squeeze(1)),
        trunk.get(trunk.size() - 1), training);
  }

  @Override
  protected NDArray head(ParameterStore ps, NDArray hidden, boolean training) {
    return head.forward(ps, new NDList(hidden), training).singletonOrThrow();
  }

  @Override
  protected NDArray value(ParameterStore ps, NDArray hidden, boolean training) {
    if (valueHead == null) {
      throw noValueHead();
    }
    return valueHead.forward(ps, new NDList(hidden), training).singletonOrThrow().squeeze(2);
  }

  /** The final hidden states (B, T, width) after the last LayerNorm, then per layer the keys and values. */
  @Override
  protected NDList trunk(ParameterStore ps, Inputs inputs, boolean training) {
    NDArray ids = inputs.ids();
    NDArray positions = inputs.positions();
    NDArray mask = inputs.mask();
    NDArray tokens = ps.getValue(tokenEmbedding, ids.getDevice(), training);
    NDArray x = Embedding.embedding(ids, tokens, SparseFormat.DENSE).singletonOrThrow();
    NDList rotary = null;
    if (positionEmbedding != null) {
      NDArray places = ps.getValue(positionEmbedding, ids.getDevice(), training);
      x = x.add(Embedding.embedding(positions, places, SparseFormat.DENSE).singletonOrThrow());
    } else {
      rotary = Rotary.tables(positions, rotaryFrequencies);
    }
    NDList caches = new NDList(2 * layers.size());
    for (int i = 0; i < layers.size(); i++) {
      NDList in = new NDList(x, mask);
      if (rotary != null) {
        in.addAll(rotary);
      }
      if (inputs.cached()) {
        in.add(inputs.pastKeys(i));
        in.add(inputs.pastValues(i));
      }
      NDList out = layers.get(i).forward(ps, in, training);
      x = out.get(0);
      caches.add(out.get(1));
      caches.add(out.get(2));
    }
    x = finalNorm.forward(ps, new NDList(x), training).singletonOrThrow();
    NDList result = new NDList(x);
    result.addAll(caches);
    if (copy != null) {
      NDArray past = inputs.cached() ? inputs.list().get(3 + 2 * layers.size()) : null;
      result.add(copy.state(ps, x, ids, positions, mask, past, training));
    }
    return result;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape x = new Shape(ids.get(0), ids.get(1), spec.width());
    Shape mask = new Shape(ids.get(0), 1, ids.get(1), ids.get(1));
    Shape table = new Shape(ids.get(0), 1, ids.get(1), spec.width() / spec.heads());
    for (DecoderLayer layer : layers) {
      if (rotaryFrequencies == null) {
        layer.initialize(manager, dataType, x, mask);
      } else {
        layer.initialize(manager, dataType, x, mask, table, table);
      }
    }
    finalNorm.initialize(manager, dataType, x);
    head.initialize(manager, dataType, x);
    if (valueHead != null) {
      valueHead.initialize(manager, dataType, x);
    }
    if (copy != null) {
      copy.initialize(manager, dataType, x);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = outputShapes(inputShapes, spec.vocabSize(), layers.size(), spec.heads(),
        spec.width() / spec.heads());
    if (copy == null) {
      return shapes;
    }
    Shape[] out = java.util.Arrays.copyOf(shapes, shapes.length + 1);
    out[shapes.length] = new Shape(inputShapes[0].get(0), 1, inputShapes[2].get(3), copy.stateWidth());
    return out;
  }
}
