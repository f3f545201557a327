package dev.ludus.environments.sparse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A gridworld level and its rules. Two rooms side by side, separated by a wall with one locked door; the
 * agent and the key are in one room, the goal in the other. The outer border is wall. Every level is
 * solvable: each room is an open rectangle, the door joins them, and the key lies in the start room.
 * Immutable and thread-safe; the changing part of a game is a {@link State}.
 */
final class GridLevel {
  static final char WALL = '#';
  static final char FLOOR = '.';
  static final char KEY = 'K';
  static final char LOCKED = 'D';
  static final char OPEN = '/';
  static final char GOAL = 'G';
  static final char AGENT = '@';

  /** Where the agent is, whether it carries the key and whether the door is open. Immutable. */
  record State(Cell agent, boolean hasKey, boolean doorOpen) {}

  /**
   * What an action did.
   *
   * @param next the state after it
   * @param message what the agent is told
   * @param invalid why the action was not allowed, or null
   * @param subgoal the subgoal reached ({@code key-picked}, {@code door-opened}), or null
   */
  record Result(State next, String message, String invalid, String subgoal) {}

  static final String KEY_PICKED = "key-picked";
  static final String DOOR_OPENED = "door-opened";

  final int width;
  final int height;
  private final boolean[][] wall;
  final Cell start;
  final Cell key;
  final Cell door;
  final Cell goal;

  private GridLevel(int width, int height, boolean[][] wall, Cell start, Cell key, Cell door, Cell goal) {
    this.width = width;
    this.height = height;
    this.wall = wall;
    this.start = start;
    this.key = key;
    this.door = door;
    this.goal = goal;
  }

  /**
   * The level of a task: a {@code width} x {@code height} grid (border included, width at least 5, height
   * at least 4), drawn with {@code seed}: the dividing column, the door's row, which room the agent starts
   * in, and the agent, key and goal cells.
   */
  static GridLevel generate(int width, int height, long seed) {
    if (width < 5 || height < 4) {
      throw new IllegalArgumentException("a level needs width >= 5 and height >= 4, was " + width + "x" + height);
    }
    SplittableRandom r = new SplittableRandom(seed);
    int divider = r.nextInt(2, width - 2);
    int doorRow = r.nextInt(1, height - 1);
    boolean startLeft = r.nextBoolean();
    int[] left = {1, divider - 1};
    int[] right = {divider + 1, width - 2};
    int[] home = startLeft ? left : right;
    int[] away = startLeft ? right : left;
    Cell start = randomCell(r, home, height);
    Cell key;
    do {
      key = randomCell(r, home, height);
    } while (key.equals(start));
    Cell goal = randomCell(r, away, height);
    boolean[][] wall = new boolean[height][width];
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        wall[row][col] = row == 0 || row == height - 1 || col == 0 || col == width - 1 || col == divider;
      }
    }
    Cell door = new Cell(doorRow, divider);
    wall[doorRow][divider] = false;
    return new GridLevel(width, height, wall, start, key, door, goal);
  }

  private static Cell randomCell(SplittableRandom r, int[] cols, int height) {
    return new Cell(r.nextInt(1, height - 1), r.nextInt(cols[0], cols[1] + 1));
  }

  State initial() {
    return new State(start, false, false);
  }

  private boolean inside(Cell c) {
    return c.row() >= 0 && c.row() < height && c.col() >= 0 && c.col() < width;
  }

  /** The tile at {@code c} in state {@code s}, without the agent; outside the grid reads as wall. */
  char tile(Cell c, State s) {
    if (!inside(c) || wall[c.row()][c.col()]) {
      return WALL;
    }
    if (c.equals(door)) {
      return s.doorOpen() ? OPEN : LOCKED;
    }
    if (c.equals(key) && !s.hasKey()) {
      return KEY;
    }
    if (c.equals(goal)) {
      return GOAL;
    }
    return FLOOR;
  }

  /** Applies {@code command} to {@code s}. Moving into a wall or the locked door is allowed and does nothing. */
  Result apply(State s, GridCommand command) {
    switch (command) {
      case PICK_UP -> {
        if (s.hasKey()) {
          return new Result(s, "You already carry the key.", "you already carry the key.", null);
        }
        if (!s.agent().equals(key)) {
          return new Result(s, "There is nothing here to pick up.",
              "there is no key on your cell; stand on the key (K) to pick it up.", null);
        }
        return new Result(new State(s.agent(), true, s.doorOpen()), "You pick up the key.", null, KEY_PICKED);
      }
      case OPEN -> {
        if (!s.agent().adjacent(door)) {
          return new Result(s, "There is no door here.",
              "there is no door next to you; stand beside the door (D) to open it.", null);
        }
        if (s.doorOpen()) {
          return new Result(s, "The door is already open.", "the door is already open.", null);
        }
        if (!s.hasKey()) {
          return new Result(s, "The door is locked.", "the door is locked and you do not carry the key.", null);
        }
        return new Result(new State(s.agent(), true, true), "You unlock the door and open it.", null, DOOR_OPENED);
      }
      default -> {
        Cell to = s.agent().step(command.direction);
        char t = tile(to, s);
        if (t == WALL) {
          return new Result(s, "You bump into a wall and stay where you are.", null, null);
        }
        if (t == LOCKED) {
          return new Result(s, "The door is locked; open it with the key first.", null, null);
        }
        State next = new State(to, s.hasKey(), s.doorOpen());
        if (to.equals(goal)) {
          return new Result(next, "You step onto the goal!", null, null);
        }
        return new Result(next, "You move " + command.word + ".", null, null);
      }
    }
  }

  /**
   * A shortest list of commands that takes {@code s} to the goal (breadth-first search over position,
   * key and door), or empty when none exists.
   */
  Optional<List<GridCommand>> plan(State s) {
    int states = height * width * 4;
    int[] parent = new int[states];
    GridCommand[] via = new GridCommand[states];
    Arrays.fill(parent, -2);
    State[] byIndex = new State[states];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int from = index(s);
    parent[from] = -1;
    byIndex[from] = s;
    queue.add(from);
    while (!queue.isEmpty()) {
      int i = queue.poll();
      State here = byIndex[i];
      if (here.agent().equals(goal)) {
        List<GridCommand> path = new ArrayList<>();
        for (int j = i; parent[j] != -1; j = parent[j]) {
          path.add(via[j]);
        }
        Collections.reverse(path);
        return Optional.of(path);
      }
      for (GridCommand c : GridCommand.values()) {
        Result r = apply(here, c);
        int k = index(r.next());
        if (r.invalid() == null && parent[k] == -2) {
          parent[k] = i;
          via[k] = c;
          byIndex[k] = r.next();
          queue.add(k);
        }
      }
    }
    return Optional.empty();
  }

  private int index(State s) {
    return ((s.agent().row() * width + s.agent().col()) * 2 + (s.hasKey() ? 1 : 0)) * 2 + (s.doorOpen() ? 1 : 0);
  }

  /** The {@code size} x {@code size} square around the agent, one row a line, tiles separated by spaces. */
  String view(State s, int size) {
    int half = size / 2;
    StringBuilder sb = new StringBuilder();
    for (int dr = -half; dr <= half; dr++) {
      for (int dc = -half; dc <= half; dc++) {
        Cell c = new Cell(s.agent().row() + dr, s.agent().col() + dc);
        sb.append(dc == -half ? "" : " ").append(c.equals(s.agent()) ? AGENT : tile(c, s));
      }
      if (dr < half) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The whole level in state {@code s}, as {@link #view} draws it (for tests and debugging). */
  String render(State s) {
    StringBuilder sb = new StringBuilder();
    for (int row = 0; row < height; row++) {
      for (int col = 0; col < width; col++) {
        Cell c = new Cell(row, col);
        sb.append(col == 0 ? "" : " ").append(c.equals(s.agent()) ? AGENT : tile(c, s));
      }
      if (row < height - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
