package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;

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
 */
public abstract class CausalLmBlock extends AbstractBlock {

  protected CausalLmBlock(byte version) {
    super(version);
  }

  /**
   * Generation's pass: the logits (B, 1, V) of each sequence's last position only, then per layer the keys and values
   * of all Tk positions.
   */
  protected abstract NDList lastLogits(ParameterStore ps, NDList inputs);

  /** Logits (B, T, V) and values (B, T) of one pass without a cache: both heads on the same hidden states. */
  protected abstract NDList logitsAndValues(ParameterStore ps, NDList inputs, boolean training);

  /**
   * Values (B, T) of one pass without a cache; the vocabulary head is not computed.
   *
   * @throws IllegalStateException if the block has no value head
   */
  protected abstract NDArray values(ParameterStore ps, NDList inputs, boolean training);

  /**
   * A learner's pass without a cache that computes the vocabulary head only where a loss reads it: the logits
   * (1, N, V) at the N flat cells {@code cells} (int64, each {@code b · T + t}) of the (B, T) positions, in that order,
   * and when {@code withValues} the values (B, T) of the same pass. The logits equal those of {@link #logitsAndValues}
   * at those cells. This default computes every position's logits and then gathers; an implementation overrides it to
   * gather the final hidden states first and project only those (see {@link #gatherCells}).
   */
  protected NDList logitsAt(ParameterStore ps, NDList inputs, NDArray cells, boolean withValues, boolean training) {
    NDList full = withValues ? logitsAndValues(ps, inputs, training)
        : new NDList(forward(ps, inputs, training).get(0));
    NDList result = new NDList(gatherCells(full.get(0), cells));
    if (withValues) {
      result.add(full.get(1));
    }
    return result;
  }

  /** The rows (1, N, D) of {@code x} (B, T, D) at the flat cells {@code cells} (N) int64; differentiable in x. */
  protected static NDArray gatherCells(NDArray x, NDArray cells) {
    long d = x.getShape().get(2);
    long n = cells.getShape().get(0);
    return x.reshape(-1, d).gather(cells.reshape(n, 1).broadcast(n, d), 0).reshape(1, n, d);
  }
}
