package dev.ludus.api;

/**
 * Registers a reward combiner under a name. Stateless and thread-safe; {@link #create} makes a new
 * combiner (with fresh state) per run.
 *
 * @param <C> the combiner's configuration record
 */
public interface CombinerProvider<C> extends Plugin<C> {
  /**
   * A new combiner (with fresh state). A provider that implements the context form instead leaves this one
   * alone, and then it throws {@link UnsupportedOperationException} saying to call the context form.
   */
  default RewardCombiner create(C config) {
    throw PluginForms.needsContext("combiner", this);
  }

  /**
   * A new combiner made with the run's {@code context}: implement this form instead of the plain one when it
   * needs the runtime (a model or judge behind the shared Vert.x, worker threads). By default the plain form.
   */
  default RewardCombiner create(C config, PluginContext context) {
    return create(config);
  }

  /** The formula in one line. */
  default String formula() {
    return "";
  }

  /** The paper (or other source) it implements. */
  default String reference() {
    return "";
  }
}
