package dev.ludus.api;

/**
 * Registers a reward shaper under a name. Stateless and thread-safe.
 *
 * @param <C> the shaper's configuration record
 */
public interface ShaperProvider<C> extends Plugin<C> {
  /**
   * A new shaper (with fresh state). A provider that implements the context form instead leaves this one
   * alone, and then it throws {@link UnsupportedOperationException} saying to call the context form.
   */
  default RewardShaper create(C config) {
    throw PluginForms.needsContext("shaper", this);
  }

  /**
   * A new shaper made with the run's {@code context}: implement this form instead of the plain one when it
   * needs the runtime (a model or judge behind the shared Vert.x, worker threads). By default the plain form.
   */
  default RewardShaper create(C config, PluginContext context) {
    return create(config);
  }

  /** The shaper's formula in one line, e.g. {@code r'_t = r_t + γΦ(s_{t+1}) − Φ(s_t)}. */
  default String formula() {
    return "";
  }

  /** The paper (or other source) the shaper implements. */
  default String reference() {
    return "";
  }
}
