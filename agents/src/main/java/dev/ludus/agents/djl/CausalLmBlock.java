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
}
