package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Episode;
import java.util.List;

/**
 * Turns a batch of scored episodes into per-token advantages for the policy loss.
 *
 * <p>The input is a batch of groups; a group holds the rollouts of one task. Estimators that normalize
 * within a group (GRPO, RLOO, IGPO) treat the groups independently; those that whiten over the batch
 * (REINFORCE++, PPO with GAE) need every group of the update at once, which is why the unit of work is the
 * batch. Episodes must already carry their reward ledger (see {@link dev.ludus.shaping.ShapingPipeline}).
 *
 * <p>Implementations are immutable and thread-safe; get them from {@link AdvantageEstimators} (by registered name,
 * see {@link EstimatorProvider}).
 */
public interface AdvantageEstimator {

  /** The estimator's name, as it is registered ({@link EstimatorProvider#name()}). */
  String name();

  /**
   * The advantages of every episode of the batch that did not fail, in batch order (groups in order, each
   * group's episodes in order).
   *
   * @throws IllegalArgumentException if an episode has a non-finite turn reward, or the estimator needs
   *     values ({@link #needsValues()}) and the batch has none or has values of the wrong length
   */
  List<TokenAdvantages> estimate(AdvantageBatch batch);

  /** The advantages of one group on its own (a batch of one group). */
  default List<TokenAdvantages> estimateGroup(List<Episode> group) {
    return estimate(AdvantageBatch.ofGroup(group));
  }

  /** Whether {@link #estimate} needs per-turn value estimates ({@link AdvantageBatch#values()}). */
  default boolean needsValues() {
    return false;
  }
}
