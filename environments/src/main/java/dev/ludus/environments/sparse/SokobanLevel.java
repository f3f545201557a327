package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText.Direction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Sokoban level: the walled grid, its targets and the starting position. Immutable and thread-safe.
 *
 * <p>Cells are numbered {@code row * cols + col} over the whole grid, outer walls included; the outer ring
 * is always wall, so a step from a floor cell never leaves the grid. At most 256 cells, so that a cell fits
 * in one byte of a {@link SokobanStates packed state}. The level also knows its <em>dead cells</em>: floor cells
 * from which a box can never be pushed onto any target, even with no other box in the way.
 */
final class SokobanLevel {
  static final int MAX_CELLS = 256;
  static final int MAX_BOXES = 6;

  static final char WALL = '#';
  static final char FLOOR = '_';
  static final char BOX = 'O';
  static final char TARGET = 'X';
  static final char BOX_ON_TARGET = '*';
  static final char PLAYER = 'P';
  static final char PLAYER_ON_TARGET = 'S';
  /** Every character a rendered level is drawn with. */
  static final String CELLS = "" + WALL + FLOOR + BOX + TARGET + BOX_ON_TARGET + PLAYER + PLAYER_ON_TARGET;

  final int rows;
  final int cols;
  private final boolean[] wall;
  private final boolean[] target;
  private final boolean[] dead;
  private final int[] targets;
  private final int player;
  private final int[] boxes;
  private final int optimalMoves;
  private final int[] offsets;

  /**
   * @param optimalMoves the length of the shortest solution when known, else -1
   */
  SokobanLevel(int rows, int cols, boolean[] wall, int[] targets, int player, int[] boxes, int optimalMoves) {
    if (rows * cols > MAX_CELLS) {
      throw new IllegalArgumentException("a level has at most " + MAX_CELLS + " cells, this one " + rows * cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.wall = wall.clone();
    this.targets = targets.clone();
    Arrays.sort(this.targets);
    this.target = new boolean[rows * cols];
    for (int t : this.targets) {
      target[t] = true;
    }
    this.player = player;
    this.boxes = boxes.clone();
    Arrays.sort(this.boxes);
    this.optimalMoves = optimalMoves;
    this.offsets = new int[Direction.values().length];
    for (Direction d : Direction.values()) {
      offsets[d.ordinal()] = d.dRow * cols + d.dCol;
    }
    this.dead = deadCells();
  }

  int size() {
    return rows * cols;
  }

  boolean isWall(int cell) {
    return wall[cell];
  }

  boolean isTarget(int cell) {
    return target[cell];
  }

  /** A floor cell from which no push sequence brings a box onto a target. */
  boolean isDead(int cell) {
    return dead[cell];
  }

  /** What one step in the direction with this ordinal adds to a cell's index. */
  int offset(int directionOrdinal) {
    return offsets[directionOrdinal];
  }

  int player() {
    return player;
  }

  /** The boxes' starting cells, sorted. */
  int[] boxes() {
    return boxes.clone();
  }

  int[] targets() {
    return targets.clone();
  }

  int boxCount() {
    return boxes.length;
  }

  /** The shortest solution's length in moves, or -1 when not known. */
  int optimalMoves() {
    return optimalMoves;
  }

  /** The level with the shortest solution's length recorded. */
  SokobanLevel withOptimalMoves(int moves) {
    return new SokobanLevel(rows, cols, wall, targets, player, boxes, moves);
  }

  /** The grid as text, one row per line, with the player and boxes at the given cells. */
  String render(int playerCell, boolean[] boxAt) {
    StringBuilder sb = new StringBuilder((cols + 1) * rows);
    for (int r = 0; r < rows; r++) {
      if (r > 0) {
        sb.append('\n');
      }
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        char ch;
        if (wall[i]) {
          ch = WALL;
        } else if (i == playerCell) {
          ch = target[i] ? PLAYER_ON_TARGET : PLAYER;
        } else if (boxAt[i]) {
          ch = target[i] ? BOX_ON_TARGET : BOX;
        } else {
          ch = target[i] ? TARGET : FLOOR;
        }
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** The starting position as text. */
  String render() {
    boolean[] boxAt = new boolean[size()];
    for (int b : boxes) {
      boxAt[b] = true;
    }
    return render(player, boxAt);
  }

  /**
   * Reads a level written with this class's legend ({@code #} wall, {@code _} or space floor, {@code O}
   * box, {@code X} target, {@code *} or {@code √} box on target, {@code P} player, {@code S} player on
   * target). Short rows are padded with wall; the outer ring must be wall.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static SokobanLevel parse(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.strip().split("\\R")) {
      lines.add(line.stripTrailing());
    }
    int rows = lines.size();
    int cols = lines.stream().mapToInt(String::length).max().orElse(0);
    if (rows < 3 || cols < 3) {
      throw new IllegalArgumentException("a level needs at least 3 rows and 3 columns, got " + rows + "x" + cols);
    }
    if (rows * cols > MAX_CELLS) {
      throw new IllegalArgumentException("a level has at most " + MAX_CELLS + " cells, got " + rows + "x" + cols);
    }
    boolean[] wall = new boolean[rows * cols];
    List<Integer> targets = new ArrayList<>();
    List<Integer> boxes = new ArrayList<>();
    int player = -1;
    for (int r = 0; r < rows; r++) {
      String line = lines.get(r);
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        char ch = c < line.length() ? line.charAt(c) : WALL;
        switch (ch) {
          case WALL -> wall[i] = true;
          case FLOOR, ' ' -> { }
          case BOX -> boxes.add(i);
          case TARGET -> targets.add(i);
          case BOX_ON_TARGET, '√' -> {
            boxes.add(i);
            targets.add(i);
          }
          case PLAYER, PLAYER_ON_TARGET -> {
            if (player >= 0) {
              throw new IllegalArgumentException("a level has exactly one player (P or S), found a second at row "
                  + r + ", column " + c);
            }
            player = i;
            if (ch == PLAYER_ON_TARGET) {
              targets.add(i);
            }
          }
          default -> throw new IllegalArgumentException("unknown level symbol '" + ch + "' at row " + r
              + ", column " + c + "; allowed: # _ space O X * √ P S");
        }
        boolean border = r == 0 || c == 0 || r == rows - 1 || c == cols - 1;
        if (border && !wall[i]) {
          throw new IllegalArgumentException("the level's outer ring must be wall (#), found '" + ch + "' at row "
              + r + ", column " + c);
        }
      }
    }
    if (player < 0) {
      throw new IllegalArgumentException("a level needs a player (P or S)");
    }
    if (boxes.isEmpty() || boxes.size() > MAX_BOXES) {
      throw new IllegalArgumentException("a level has 1 to " + MAX_BOXES + " boxes, this one " + boxes.size());
    }
    if (boxes.size() != targets.size()) {
      throw new IllegalArgumentException("a level has as many targets as boxes, this one " + boxes.size()
          + " boxes and " + targets.size() + " targets");
    }
    return new SokobanLevel(rows, cols, wall, toArray(targets), player, toArray(boxes), -1);
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Cells from which a lone box cannot reach any target: the complement of the cells found by pulling a box
   * backwards from every target (a box at {@code x} can be pushed to {@code x + d} when the player fits at
   * {@code x - d}).
   */
  private boolean[] deadCells() {
    boolean[] live = new boolean[size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : targets) {
      live[t] = true;
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int y = queue.poll();
      for (int off : offsets) {
        int x = y - off;
        int stand = x - off;
        if (x >= 0 && x < size() && !wall[x] && !live[x] && stand >= 0 && stand < size() && !wall[stand]) {
          live[x] = true;
          queue.add(x);
        }
      }
    }
    boolean[] deadCells = new boolean[size()];
    for (int i = 0; i < size(); i++) {
      deadCells[i] = !wall[i] && !live[i];
    }
    return deadCells;
  }

  @Override
  public String toString() {
    return render();
  }
}
