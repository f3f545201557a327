package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A decoder-only language model as a DJL block that a {@link LanguageModel} can hold: the built-in transformer, or
 * another architecture ({@link Architecture}, e.g. a Hugging Face Llama or Qwen model).
 *
 * <p>The contract every implementation keeps, which the generator, the key/value cache and the learner rely on.
 * Inputs: token ids (B, T) int64; position ids (B, T) int64 (each sequence's positions count its real tokens from
 * 0); the additive attention mask (B, 1, T, Tk), 0 where a query may look at a key and a large negative number where
 * it may not; then optionally, per layer, the cached keys and values of the Tk - T earlier positions, keys then
 * values, each (B, kvHeads, Tk - T, headWidth). The forward pass returns the logits (B, T, V) and then, per layer,
 * the keys and values of all Tk positions in the same layout. Every operation's receiver is an activation, never a
 * parameter array, so intermediate arrays land on the caller's manager.
 *
 * <p>Design: a skeleton. An implementation gives the three parts that differ between architectures, the
 * {@linkplain #trunk trunk}, the vocabulary {@linkplain #head head} and the {@linkplain #value value head}; every
 * pass (the forward pass, generation's, the learner's) is composed from them here, once.
 */
public abstract class CausalLmBlock extends AbstractBlock {

  protected CausalLmBlock(byte version) {
    super(version);
  }

  /**
   * The final hidden states (B, T, width), after the last normalization, then per layer the keys and values of all
   * Tk positions (then, for a block that keeps more per position, such as the built-in copy head's state, those
   * arrays, in the same (B, 1 or heads, Tk, D) layout, so that the caches carry them as they carry keys).
   */
  protected abstract NDList trunk(ParameterStore ps, Inputs inputs, boolean training);

  /**
   * The inputs described in the class comment, by name.
   *
   * @param list ids, positions, additive mask, then optionally per layer the cached keys and values
   */
  protected record Inputs(NDList list) {
    /** Token ids (B, T) int64. */
    public NDArray ids() {
      return list.get(0);
    }

    /** Position ids (B, T) int64. */
    public NDArray positions() {
      return list.get(1);
    }

    /** The additive attention mask (B, 1, T, Tk). */
    public NDArray mask() {
      return list.get(2);
    }

    /** Whether the keys and values of earlier positions are given. */
    public boolean cached() {
      return list.size() > 3;
    }

    /** The cached keys of layer {@code layer}, (B, kvHeads, Tk - T, headWidth). */
    public NDArray pastKeys(int layer) {
      return list.get(3 + 2 * layer);
    }

    /** The cached values of layer {@code layer}, (B, kvHeads, Tk - T, headWidth). */
    public NDArray pastValues(int layer) {
      return list.get(4 + 2 * layer);
    }
  }

  /** The vocabulary head: the logits (..., V) of hidden states (..., width). */
  protected abstract NDArray head(ParameterStore ps, NDArray hidden, boolean training);

  /**
   * The value head: the values (B, T) of hidden states (B, T, width).
   *
   * @throws IllegalStateException if the block has no value head (see {@link #noValueHead()})
   */
  protected abstract NDArray value(ParameterStore ps, NDArray hidden, boolean training);

  /**
   * The query positions a pass computes the vocabulary outputs of: {@link #ALL}, {@link #LAST} or {@link #cells}.
   */
  protected interface Rows {
    /** The picked rows of a per-position array (B, T, X). */
    NDArray pick(NDArray perPosition);

    /** Whether {@link #pick} keeps the batch axis: row {@code b} of its result belongs to sequence {@code b}. */
    boolean keepsBatch();
  }

  /** Every position: (B, T, X). */
  protected static final Rows ALL = new Rows() {
    @Override
    public NDArray pick(NDArray perPosition) {
      return perPosition;
    }

    @Override
    public boolean keepsBatch() {
      return true;
    }
  };

  /** Each sequence's last position: (B, 1, X). */
  protected static final Rows LAST = new Rows() {
    @Override
    public NDArray pick(NDArray perPosition) {
      return perPosition.get(new NDIndex(":, {}:, :", perPosition.getShape().get(1) - 1));
    }

    @Override
    public boolean keepsBatch() {
      return true;
    }
  };

  /** The flat cells {@code cells} (N, int64, each {@code b · T + t}): (1, N, X) ({@link #gatherCells}). */
  protected static Rows cells(NDArray cells) {
    return new Rows() {
      @Override
      public NDArray pick(NDArray perPosition) {
        return gatherCells(perPosition, cells);
      }

      @Override
      public boolean keepsBatch() {
        return false;
      }
    };
  }

  /**
   * The vocabulary outputs (logits, or normalized log-probabilities) at the positions {@code rows} picks, of a pass
   * whose trunk gave {@code trunk}: by default the head of those positions' hidden states only. A block whose head
   * reads more than a position's own hidden state (the built-in copy head reads the tokens before it) overrides it.
   */
  protected NDArray outputs(ParameterStore ps, NDList trunk, Inputs inputs, Rows rows, boolean training) {
    return head(ps, rows.pick(trunk.get(0)), training);
  }

  /** The logits (B, T, V) of every position, then per layer the keys and values. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    Inputs in = new Inputs(inputs);
    NDList trunk = trunk(ps, in, training);
    NDList result = new NDList(outputs(ps, trunk, in, ALL, training));
    result.addAll(trunk.subNDList(1));
    return result;
  }

  /**
   * Generation's pass: the logits (B, 1, V) of each sequence's last position only (the head is not computed for the
   * positions before), then per layer the keys and values of all Tk positions.
   */
  protected NDList lastLogits(ParameterStore ps, NDList inputs) {
    Inputs in = new Inputs(inputs);
    NDList trunk = trunk(ps, in, false);
    NDList result = new NDList(outputs(ps, trunk, in, LAST, false));
    result.addAll(trunk.subNDList(1));
    return result;
  }

  /** Logits (B, T, V) and values (B, T) of one pass without a cache: both heads on the same hidden states. */
  protected NDList logitsAndValues(ParameterStore ps, NDList inputs, boolean training) {
    Inputs in = new Inputs(inputs);
    NDList trunk = trunk(ps, in, training);
    return new NDList(outputs(ps, trunk, in, ALL, training), value(ps, trunk.get(0), training));
  }

  /**
   * Values (B, T) of one pass without a cache; the vocabulary head is not computed.
   *
   * @throws IllegalStateException if the block has no value head
   */
  protected NDArray values(ParameterStore ps, NDList inputs, boolean training) {
    return value(ps, trunk(ps, new Inputs(inputs), training).get(0), training);
  }

  /**
   * A learner's pass without a cache that computes the vocabulary head only where a loss reads it: the logits
   * (1, N, V) at the N flat cells {@code cells} (int64, each {@code b · T + t}) of the (B, T) positions, in that order,
   * and when {@code withValues} the values (B, T) of the same pass. The trunk's hidden states are gathered at those
   * cells first and only they are projected; the logits equal those of {@link #logitsAndValues} at those cells.
   */
  protected NDList logitsAt(ParameterStore ps, NDList inputs, NDArray cells, boolean withValues, boolean training) {
    Inputs in = new Inputs(inputs);
    NDList trunk = trunk(ps, in, training);
    NDList result = new NDList(outputs(ps, trunk, in, cells(cells), training));
    if (withValues) {
      result.add(value(ps, trunk.get(0), training));
    }
    return result;
  }

  /** The rows (1, N, D) of {@code x} (B, T, D) at the flat cells {@code cells} (N) int64; differentiable in x. */
  protected static NDArray gatherCells(NDArray x, NDArray cells) {
    long d = x.getShape().get(2);
    long n = cells.getShape().get(0);
    return x.reshape(-1, d).gather(cells.reshape(n, 1).broadcast(n, d), 0).reshape(1, n, d);
  }

  /**
   * The shapes the forward pass returns (see the class comment) for its input shapes: the logits (B, T, {@code vocab}),
   * then per layer the keys and the values (B, {@code kvHeads}, Tk, {@code headWidth}).
   */
  protected static Shape[] outputShapes(Shape[] inputShapes, long vocab, int layers, long kvHeads, long headWidth) {
    Shape ids = inputShapes[0];
    long keys = inputShapes[2].get(3);
    Shape[] out = new Shape[1 + 2 * layers];
    out[0] = new Shape(ids.get(0), ids.get(1), vocab);
    Arrays.fill(out, 1, out.length, new Shape(ids.get(0), kvHeads, keys, headWidth));
    return out;
  }

  /** The error of {@link #value} on a block built without a value head. */
  protected static IllegalStateException noValueHead() {
    return new IllegalStateException("this model has no value head (LanguageModel.Spec.valueHead is false)");
  }
}
