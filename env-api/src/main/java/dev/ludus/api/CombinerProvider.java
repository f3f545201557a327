package dev.ludus.api;

/**
 * Registers a reward combiner under a name. Stateless and thread-safe; {@link #create} makes a new
 * combiner (with fresh state) per run.
 *
 * @param <C> the combiner's configuration record
 */
public interface CombinerProvider<C> extends Plugin<C> {
  RewardCombiner create(C config);

  /** The formula in one line. */
  default String formula() {
    return "";
  }

  /** The paper (or other source) it implements. */
  default String reference() {
    return "";
  }
}
