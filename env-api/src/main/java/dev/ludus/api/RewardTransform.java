package dev.ludus.api;

/**
 * Maps one reward component's values over a group to new values: clipping, normalization, centering on
 * references, noise for robustness experiments. Transforms run in a chain, in the order the run declares,
 * before the combiner; each may be limited to some components.
 *
 * <p>Contract: returns a new array shaped like {@code values.values()}; a NaN cell (no value) stays NaN.
 * Thread-safety: implementations are thread-safe; stateful ones (running statistics) synchronize, and
 * their state evolves in the order groups arrive.
 */
@FunctionalInterface
public interface RewardTransform {
  double[][] apply(ComponentValues values);
}
