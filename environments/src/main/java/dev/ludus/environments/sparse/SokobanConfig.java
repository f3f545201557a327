package dev.ludus.environments.sparse;

/**
 * Configuration of the {@code sokoban} environment. Immutable and thread-safe; validated on construction.
 *
 * @param width the room's interior width in cells, walls not counted (3 to 10; default 6)
 * @param height the room's interior height in cells, walls not counted (3 to 10; default 6)
 * @param boxes how many boxes (and targets) a level has (1 to 4, and at most a quarter of the interior;
 *     default 1)
 * @param reverseSteps how far reverse play goes: a level's shortest solution is drawn between
 *     {@code ceil(reverseSteps / 2)} and {@code reverseSteps} moves, shorter only when the room allows no
 *     longer (1 to 200, at most {@code maxTurns}; default 15)
 * @param maxTurns the turn limit after which the episode is truncated; invalid actions count as turns
 *     (1 to 1000; default 30)
 */
public record SokobanConfig(int width, int height, int boxes, int reverseSteps, int maxTurns) {
  /** The largest interior side: keeps every cell index of the walled grid in one byte. */
  static final int MAX_SIDE = 10;

  static final int MAX_BOXES = 4;

  public SokobanConfig {
    check("width", width, 3, MAX_SIDE);
    check("height", height, 3, MAX_SIDE);
    check("boxes", boxes, 1, MAX_BOXES);
    int roomFor = width * height / 4;
    if (boxes > roomFor) {
      throw new IllegalArgumentException("boxes must be at most width*height/4 = " + roomFor + " for a "
          + width + "x" + height + " room, was " + boxes);
    }
    check("maxTurns", maxTurns, 1, 1000);
    check("reverseSteps", reverseSteps, 1, 200);
    if (reverseSteps > maxTurns) {
      throw new IllegalArgumentException("reverseSteps must be at most maxTurns (" + maxTurns
          + ") so that every level can be solved within the turn limit, was " + reverseSteps);
    }
  }

  /** A 6x6 room with one box, solutions of 8 to 15 moves, 30 turns. */
  public static SokobanConfig defaults() {
    return new SokobanConfig(6, 6, 1, 15, 30);
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
