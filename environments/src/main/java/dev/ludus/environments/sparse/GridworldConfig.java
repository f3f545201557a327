package dev.ludus.environments.sparse;

/**
 * Configuration of {@code gridworld}. Immutable and thread-safe; validated on construction.
 *
 * @param width columns of the grid including its outer walls, 5 to 25 (default 7)
 * @param height rows of the grid including its outer walls, 4 to 25 (default 7)
 * @param view the side of the square the agent sees around itself, odd, 3 to 9 (default 5)
 * @param maxTurns actions allowed before the episode is truncated, 1 to 1000 (default 50)
 */
public record GridworldConfig(int width, int height, int view, int maxTurns) {
  public GridworldConfig {
    ConfigChecks.between("width", width, 5, 25);
    ConfigChecks.between("height", height, 4, 25);
    ConfigChecks.oddBetween("view", view, 3, 9);
    ConfigChecks.between("maxTurns", maxTurns, 1, 1000);
  }

  /** A 7x7 grid seen through a 5x5 window, 50 turns (the oracle needs at most about 25). */
  public static GridworldConfig defaults() {
    return new GridworldConfig(7, 7, 5, 50);
  }
}
