package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;

/**
 * The training interface of an in-process policy: everything a learner needs from the model it trains, and
 * nothing of how the model is built. A learner reads the parameters and computes teacher-forced logits (and
 * values) to form its loss and gradients without any lock, then changes the weights only inside
 * {@link #update}, which holds the model's write lock and bumps the policy version, so a concurrent rollout never
 * reads half-updated weights.
 *
 * <p>The distribution. {@link #logits} are those of the distribution the policy samples from at temperature 1:
 * the raw logits with every id the sampler never emits (the tokenizer's special tokens other than
 * end-of-sequence: padding, beginning of sequence, unknown, role markers) pushed to {@code −1e9}. A learner that
 * divides them by the sampling temperature and takes a log-softmax scores exactly the distribution the
 * {@code djl-lm} sampler drew from, so on-policy samples have importance ratio 1. Top-k and top-p are not
 * applied here (they are not differentiable, and verl's actor does not apply them either): a sample drawn with
 * them reports the log-probability in the truncated, renormalized distribution, which is at least the one scored
 * here, so its ratio starts below 1.
 *
 * <p>Get one from {@link DjlLmAgent#trainable()} (the agent's model restricted as its sampler is) or use a
 * {@link LanguageModel} directly (no token is excluded).
 *
 * <p>Thread-safety: {@link #version}, {@link #logProbs}, {@link #stateValues}, {@link #update}, {@link #save},
 * {@link #frozenCopy} are thread-safe; {@link #logits} and {@link #logitsAndValues} take no lock (a learner calls
 * them between its updates). Life-cycle: a policy from {@link DjlLmAgent#trainable()} does not own the agent's
 * model (closing it does nothing); one from {@link #frozenCopy} or {@link #loadFrozen} owns its model and the
 * caller closes it.
 */
public interface TrainablePolicy extends AutoCloseable {

  /** The architecture (context, vocabulary size, whether there is a value head). */
  LanguageModel.Spec spec();

  /** Whether the policy also has a scalar value head (a critic on its trunk). */
  default boolean hasValueHead() {
    return spec().valueHead();
  }

  /** The device the parameters live on. */
  Device device();

  /** The policy version: plus one per {@link #update}. */
  long version();

  /** Every parameter, named by its path in the network (a learner trains those that require a gradient). */
  ParameterList parameters();

  /**
   * The manager that owns the parameters. A learner makes its own sub-managers under it (optimizer state,
   * per-step scratch) and closes them; it never closes this one.
   */
  NDManager manager();

  /**
   * Teacher-forced logits (B, T, V) of the sampling distribution at temperature 1 (see the class comment) for
   * token ids (B, T) under an attention mask (B, T) of 1 for real tokens and 0 for padding. Takes no lock.
   */
  NDArray logits(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training);

  /**
   * {@link #logits} and the value head's output (B, T) of the same forward pass (both heads on one trunk, so a
   * loss on both back-propagates into it). Takes no lock.
   *
   * @throws IllegalStateException if the policy has no value head
   */
  LanguageModel.Heads logitsAndValues(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training);

  /**
   * {@link #logits} at the flat cells {@code cells} (N, int64, each {@code b · T + t} of the (B, T) ids) only, as
   * (1, N, V), in the order of {@code cells}; with {@code withValues} also the value head's output (B, T) of the same
   * pass (else null values). The vocabulary head is computed at those cells only, so a learner whose loss reads a few
   * positions of a padded batch saves most of the head's and the log-softmax's work. Takes no lock.
   *
   * @throws IllegalStateException if {@code withValues} and the policy has no value head
   */
  LanguageModel.Heads logitsAt(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, NDArray cells,
      boolean withValues, boolean training);

  /**
   * The log-probability of each of {@code outputs.get(i)} after {@code prompts.get(i)} in the sampling
   * distribution at temperature {@code temperatures[i]} (above 0), in one forward pass under the read lock.
   */
  float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures);

  /**
   * The value of the state at the end of each prompt (the value head at its last token), under the read lock.
   *
   * @throws IllegalStateException if the policy has no value head
   */
  float[] stateValues(List<int[]> prompts);

  /**
   * Changes the weights exclusively: waits for running generations and forward passes, runs {@code change} with
   * autograd off, increments the version and returns it.
   */
  long update(Runnable change);

  /** Writes the weights, architecture and version into {@code directory} (see {@link LanguageModel#save}). */
  void save(Path directory);

  /**
   * A frozen copy: the same architecture, weights, version, device and sampling distribution, as a model of its
   * own that no learner updates (a KL reference). The caller closes it.
   */
  TrainablePolicy frozenCopy();

  /**
   * A model saved by {@link #save} (e.g. a checkpoint's reference), loaded on this policy's device with this
   * policy's sampling distribution. The caller closes it.
   */
  TrainablePolicy loadFrozen(Path directory);

  /** Releases the model if this policy owns it; idempotent. */
  @Override
  void close();
}
