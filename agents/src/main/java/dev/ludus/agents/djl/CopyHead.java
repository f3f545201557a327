package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The built-in transformer's copy (pointer) head ({@code model.copy}): the next token is drawn from a mixture of the
 * vocabulary head's distribution and a distribution over the tokens already read, so a reply can copy a name or a
 * value from its own episode's text that training never showed it. The mixture is the pointer-generator's (See, Liu
 * and Manning 2017, "Get To The Point: Summarization with Pointer-Generator Networks") and the pointer sentinel
 * mixture's (Merity, Xiong, Bradbury and Socher 2016, "Pointer Sentinel Mixture Models"), in the language-model form
 * of an induction head (Olsson et al. 2022, "In-context Learning and Induction Heads"):
 *
 * <pre>
 *   out_t = log( g_t · softmax(z_t) + (1 − g_t) · Σ_j a_tj · onehot(id_j) )
 *   a_t   = softmax_j( q_t · k_j / sqrt(width) ),  q_t = Wq h_t,  k_j = Wk h_{j−1},  over the j ≤ t read before
 *   g_t   = sigmoid(wg · h_t + bg)
 * </pre>
 *
 * where {@code h} are the final hidden states and {@code z} the vocabulary head's logits. The key of position
 * {@code j} is the hidden state of the position before it, so the head copies "the token that followed an earlier
 * occurrence of what I just read"; a position with no predecessor (each sequence's first) is never pointed at, and a
 * query that can point at nothing has {@code g = 1}. The output is a normalized log-probability (computed as a
 * log-sum-exp of the two parts, the copy part clamped away from log 0 by {@link #EPSILON}), so every consumer that
 * applies a (log-)softmax to it, at temperature 1 or another, reads the mixture exactly.
 *
 * <p>The per-position state the head needs from earlier positions travels with the layers' keys and values, as one
 * more array (B, 1, Tk, {@code 2 · width + 2}) of {@link #state}: each position's key {@code k_j}, its own projection
 * {@code Wk h_j} (the next position's key), its token id and its position id. A cached pass finds the predecessor of
 * each new position by its position id among the columns its attention mask allows, so the key/value cache, the
 * shared prefix and left padding stay exact.
 *
 * <p>Parameters: {@code query} and {@code key} (width × width, no bias) and {@code gate} (width + 1); added after every
 * other parameter of the transformer, so a model without the head keeps its seeded weights.
 */
final class CopyHead extends AbstractBlock {
  private static final byte VERSION = 1;
  /** The copy part's floor inside the log: a token never read gets log(1e-12) there, not log 0. */
  static final float EPSILON = 1e-12f;
  /**
   * The gate's first bias: g starts at sigmoid(2) = 0.88, near the vocabulary head, so imitation fits the tokens the
   * vocabulary head can give as before and the copy part grows where copying lowers the loss.
   */
  static final float GATE_START = 2f;
  /** The gate logit added where a query can point at nothing: g is 1 there to float precision. */
  private static final float NOTHING_TO_COPY = 1e4f;

  private final int width;
  private final int vocab;
  private final Linear query;
  private final Linear key;
  private final Linear gate;

  CopyHead(int width, int vocab) {
    super(VERSION);
    this.width = width;
    this.vocab = vocab;
    query = addChildBlock("query", Linear.builder().setUnits(width).optBias(false).build());
    key = addChildBlock("key", Linear.builder().setUnits(width).optBias(false).build());
    gate = addChildBlock("gate", Linear.builder().setUnits(1).build());
  }

  /** The width of a position's state: key, own projection, token id, position id. */
  int stateWidth() {
    return 2 * width + 2;
  }

  /**
   * The state (B, 1, Tk, {@link #stateWidth}) of every position the pass sees: the cached state {@code past} (B, 1,
   * Tk − T, ·) or null, then that of the T new positions.
   *
   * @param hidden the new positions' final hidden states (B, T, width)
   * @param ids their token ids (B, T)
   * @param positions their position ids (B, T)
   * @param mask the pass's additive attention mask (B, 1, T, Tk): a new position's predecessor is the allowed column
   *     whose position id is one less
   */
  NDArray state(ParameterStore ps, NDArray hidden, NDArray ids, NDArray positions, NDArray mask, NDArray past,
      boolean training) {
    long b = hidden.getShape().get(0);
    long t = hidden.getShape().get(1);
    NDArray own = key.forward(ps, new NDList(hidden), training).singletonOrThrow(); // (B, T, W)
    NDArray pos = positions.toType(DataType.FLOAT32, false).reshape(b, t, 1);
    NDArray allOwn = own;
    NDArray allPos = pos.reshape(b, 1, t);
    if (past != null) {
      NDArray p = past.squeeze(1);
      allOwn = p.get(new NDIndex(":, :, {}:{}", width, 2 * width)).concat(own, 1);
      allPos = p.get(new NDIndex(":, :, {}", 2 * width + 1)).expandDims(1).concat(allPos, 2);
    }
    NDArray allowed = allowed(mask); // (B, T, Tk)
    NDArray before = allPos.eq(pos.sub(1f)).toType(DataType.FLOAT32, false).mul(allowed);
    NDArray keys = before.batchMatMul(allOwn); // (B, T, W): the predecessor's projection, 0 at a first position
    NDArray state = NDArrays.concat(new NDList(keys, own, ids.toType(DataType.FLOAT32, false).reshape(b, t, 1), pos),
        2).expandDims(1);
    return past == null ? state : past.concat(state, 2);
  }

  /**
   * The mixture's normalized log-probabilities (B, Q, V) at Q query positions.
   *
   * @param hidden the queries' final hidden states (B, Q, width)
   * @param logits the vocabulary head's logits there (B, Q, V)
   * @param mask the queries' rows of the additive attention mask (B, Q, Tk)
   * @param state every column's state (B, 1, Tk, {@link #stateWidth}) from {@link #state}
   */
  NDArray mix(ParameterStore ps, NDArray hidden, NDArray logits, NDArray mask, NDArray state, boolean training) {
    NDArray s = state.squeeze(1);
    NDArray keys = s.get(new NDIndex(":, :, :{}", width)); // (B, Tk, W)
    NDArray ids = s.get(new NDIndex(":, :, {}", 2 * width)).toType(DataType.INT64, false); // (B, Tk)
    NDArray hasBefore = s.get(new NDIndex(":, :, {}", 2 * width + 1)).gte(1f).toType(DataType.FLOAT32, false)
        .expandDims(1); // (B, 1, Tk)
    NDArray pointable = mask.gte(-1f).toType(DataType.FLOAT32, false).mul(hasBefore); // (B, Q, Tk)
    NDArray q = query.forward(ps, new NDList(hidden), training).singletonOrThrow().mul(1.0 / Math.sqrt(width));
    NDArray scores = q.batchMatMul(keys.transpose(0, 2, 1)).add(pointable.sub(1f).mul(-LanguageModel.MASKED));
    NDArray attention = scores.softmax(-1).mul(pointable); // rows that can point at nothing: all 0
    NDArray copied = attention.batchMatMul(ids.oneHot(vocab)); // (B, Q, V)
    NDArray nothing = pointable.max(new int[] {2}, true).neg().add(1f); // (B, Q, 1): 1 where nothing is pointable
    NDArray g = gate.forward(ps, new NDList(hidden), training).singletonOrThrow().add(nothing.mul(NOTHING_TO_COPY));
    NDArray vocabPart = Activation.softPlus(g.neg()).neg().add(logits.logSoftmax(-1)); // log g + log softmax(z)
    NDArray copyPart = Activation.softPlus(g).neg().add(copied.add(EPSILON).log()); // log(1 − g) + log copy
    NDArray top = vocabPart.maximum(copyPart).stopGradient();
    return vocabPart.sub(top).exp().add(copyPart.sub(top).exp()).log().add(top);
  }

  /** 1 where the additive mask (B, 1, T, Tk) allows a column, else 0, as (B, T, Tk). */
  private static NDArray allowed(NDArray mask) {
    return mask.squeeze(1).gte(-1f).toType(DataType.FLOAT32, false);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException("the copy head runs through TransformerLm");
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    query.initialize(manager, dataType, x);
    key.initialize(manager, dataType, x);
    gate.initialize(manager, dataType, x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), 1, x.get(1), stateWidth())};
  }

}
