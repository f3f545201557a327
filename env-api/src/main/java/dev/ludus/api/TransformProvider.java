package dev.ludus.api;

/**
 * Registers a reward transform under a name. Stateless and thread-safe; {@link #create} makes a new
 * transform (with fresh state) per run.
 *
 * @param <C> the transform's configuration record
 */
public interface TransformProvider<C> extends Plugin<C> {
  /**
   * A new transform (with fresh state). A provider that implements the context form instead leaves this one
   * alone, and then it throws {@link UnsupportedOperationException} saying to call the context form.
   */
  default RewardTransform create(C config) {
    throw PluginForms.needsContext("transform", this);
  }

  /**
   * A new transform made with the run's {@code context}: implement this form instead of the plain one when it
   * needs the runtime (a model or judge behind the shared Vert.x, worker threads). By default the plain form.
   */
  default RewardTransform create(C config, PluginContext context) {
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
