package dev.ludus.api;

/**
 * Registers a reward shaper under a name. Stateless and thread-safe.
 *
 * @param <C> the shaper's configuration record
 */
public interface ShaperProvider<C> extends Plugin<C> {
  RewardShaper create(C config);

  /** The shaper's formula in one line, e.g. {@code r'_t = r_t + γΦ(s_{t+1}) − Φ(s_t)}. */
  default String formula() {
    return "";
  }

  /** The paper (or other source) the shaper implements. */
  default String reference() {
    return "";
  }
}
