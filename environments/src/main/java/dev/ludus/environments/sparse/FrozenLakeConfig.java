package dev.ludus.environments.sparse;

/**
 * Configuration of {@code frozen-lake}. Immutable and thread-safe; validated on construction.
 *
 * @param size the side of the square lake, 2 to 16 (default 4)
 * @param holeProbability the chance that a cell other than start and goal is a hole, 0.0 to 1.0 (default
 *     0.2, like Gymnasium's {@code generate_random_map} with {@code p = 0.8} frozen)
 * @param slippery whether the ice is slippery: the intended move happens with probability 1/3 and each
 *     perpendicular move with 1/3 (default false)
 * @param maxTurns actions allowed before the episode is truncated, 1 to 1000 (default 100, as Gymnasium
 *     for 4x4)
 */
public record FrozenLakeConfig(int size, double holeProbability, boolean slippery, int maxTurns) {
  public FrozenLakeConfig {
    ConfigChecks.between("size", size, 2, 16);
    ConfigChecks.between("holeProbability", holeProbability, 0.0, 1.0);
    ConfigChecks.between("maxTurns", maxTurns, 1, 1000);
  }

  /** A 4x4 lake, 20% holes, not slippery, 100 turns. */
  public static FrozenLakeConfig defaults() {
    return new FrozenLakeConfig(4, 0.2, false, 100);
  }

  /** This configuration with {@code slippery} set. */
  public FrozenLakeConfig withSlippery(boolean slippery) {
    return new FrozenLakeConfig(size, holeProbability, slippery, maxTurns);
  }
}
