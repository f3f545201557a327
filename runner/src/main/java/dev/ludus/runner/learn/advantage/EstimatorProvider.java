package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Plugin;

/**
 * Registers an advantage estimator under a name, like every other plugin: list the class in
 * {@code META-INF/services/dev.ludus.runner.learn.advantage.EstimatorProvider} of its jar and a training config
 * uses it as {@code estimator: NAME}, with {@code estimatorConfig} bound to {@link #configType()} over
 * {@link #defaultConfig()}. {@code ludus list estimators [--json]} shows the registered ones. Stateless and
 * thread-safe.
 *
 * @param <C> the estimator's configuration record (validated in its constructor)
 */
public interface EstimatorProvider<C> extends Plugin<C> {

  /** The estimator with {@code config}. */
  AdvantageEstimator create(C config);

  /** The estimator's formula in one line. */
  default String formula() {
    return "";
  }

  /** The paper or code it follows. */
  default String reference() {
    return "";
  }

  /**
   * Whether it compares the episodes of a group (a group baseline), so a training config must play groups of at
   * least two; false for one that works with groups of one (batch whitening, a critic). Default true.
   */
  default boolean needsGroups() {
    return true;
  }
}
