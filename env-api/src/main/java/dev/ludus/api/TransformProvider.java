package dev.ludus.api;

/**
 * Registers a reward transform under a name. Stateless and thread-safe; {@link #create} makes a new
 * transform (with fresh state) per run.
 *
 * @param <C> the transform's configuration record
 */
public interface TransformProvider<C> extends Plugin<C> {
  RewardTransform create(C config);

  /** The formula in one line. */
  default String formula() {
    return "";
  }

  /** The paper (or other source) it implements. */
  default String reference() {
    return "";
  }
}
