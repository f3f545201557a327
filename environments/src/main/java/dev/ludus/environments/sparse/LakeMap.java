package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText.Direction;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A frozen lake: a square of S (start, top left), F (frozen, safe), H (hole) and G (goal, bottom right),
 * always with a path from S to G. Immutable and thread-safe.
 */
final class LakeMap {
  static final char START = 'S';
  static final char FROZEN = 'F';
  static final char HOLE = 'H';
  static final char GOAL = 'G';
  static final char AGENT = '@';

  /** Random maps tried before falling back to carving a path (keeps generation bounded for many holes). */
  static final int ATTEMPTS = 64;

  final int size;
  private final char[][] cells;
  /** Fewest moves from each cell to the goal avoiding holes, or -1 (holes and cut-off cells). */
  private final int[][] distance;

  private LakeMap(char[][] cells) {
    this.size = cells.length;
    this.cells = cells;
    this.distance = distancesToGoal(cells);
  }

  /**
   * The lake of a task, drawn with {@code seed}. As Gymnasium's {@code generate_random_map}: each cell
   * but S and G is a hole with probability {@code holeProbability}, redrawn until G is reachable; after
   * {@link #ATTEMPTS} draws, a random monotone path from S to G is kept frozen and the other cells are drawn
   * as before, so that generation always ends.
   */
  static LakeMap generate(int size, double holeProbability, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      LakeMap map = new LakeMap(draw(r, size, holeProbability, new boolean[size][size]));
      if (map.stepsToGoal(map.start()) >= 0) {
        return map;
      }
    }
    boolean[][] keep = new boolean[size][size];
    int row = 0;
    int col = 0;
    keep[0][0] = true;
    while (row < size - 1 || col < size - 1) {
      boolean down = col == size - 1 || (row < size - 1 && r.nextBoolean());
      if (down) {
        row++;
      } else {
        col++;
      }
      keep[row][col] = true;
    }
    return new LakeMap(draw(r, size, holeProbability, keep));
  }

  /**
   * A lake written as rows of S/F/H/G (e.g. Gymnasium's {@code "SFFF", "FHFH", "FFFH", "HFFG"}); square,
   * with S at the top left and G at the bottom right.
   */
  static LakeMap of(String... rows) {
    int n = rows.length;
    char[][] cells = new char[n][];
    for (int row = 0; row < n; row++) {
      if (rows[row].length() != n || !rows[row].matches("[SFHG]+")) {
        throw new IllegalArgumentException("row " + row + " '" + rows[row] + "' is not " + n + " of S, F, H, G");
      }
      cells[row] = rows[row].toCharArray();
    }
    if (cells[0][0] != START || cells[n - 1][n - 1] != GOAL) {
      throw new IllegalArgumentException("S must be at the top left and G at the bottom right");
    }
    return new LakeMap(cells);
  }

  private static char[][] draw(SplittableRandom r, int size, double p, boolean[][] keepFrozen) {
    char[][] cells = new char[size][size];
    for (int row = 0; row < size; row++) {
      for (int col = 0; col < size; col++) {
        boolean hole = r.nextDouble() < p;
        cells[row][col] = keepFrozen[row][col] || !hole ? FROZEN : HOLE;
      }
    }
    cells[0][0] = START;
    cells[size - 1][size - 1] = GOAL;
    return cells;
  }

  private static int[][] distancesToGoal(char[][] cells) {
    int n = cells.length;
    int[][] d = new int[n][n];
    for (int[] row : d) {
      Arrays.fill(row, -1);
    }
    ArrayDeque<Cell> queue = new ArrayDeque<>();
    d[n - 1][n - 1] = 0;
    queue.add(new Cell(n - 1, n - 1));
    while (!queue.isEmpty()) {
      Cell c = queue.poll();
      for (Direction dir : Direction.values()) {
        Cell next = c.step(dir);
        if (next.row() >= 0 && next.row() < n && next.col() >= 0 && next.col() < n
            && cells[next.row()][next.col()] != HOLE && d[next.row()][next.col()] < 0) {
          d[next.row()][next.col()] = d[c.row()][c.col()] + 1;
          queue.add(next);
        }
      }
    }
    return d;
  }

  Cell start() {
    return new Cell(0, 0);
  }

  Cell goal() {
    return new Cell(size - 1, size - 1);
  }

  char at(Cell c) {
    return cells[c.row()][c.col()];
  }

  /** Where a move from {@code from} towards {@code d} lands: off the edge, the agent stays. */
  Cell move(Cell from, Direction d) {
    Cell to = from.step(d);
    return to.row() >= 0 && to.row() < size && to.col() >= 0 && to.col() < size ? to : from;
  }

  /** Fewest moves from {@code c} to the goal avoiding holes, or -1 when there is no such path. */
  int stepsToGoal(Cell c) {
    return distance[c.row()][c.col()];
  }

  /** The lake with the agent drawn as {@code @}, one row a line, cells separated by spaces. */
  String render(Cell agent) {
    StringBuilder sb = new StringBuilder();
    for (int row = 0; row < size; row++) {
      for (int col = 0; col < size; col++) {
        sb.append(col == 0 ? "" : " ").append(agent != null && agent.row() == row && agent.col() == col
            ? AGENT : cells[row][col]);
      }
      if (row < size - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The lake as rows of S/F/H/G, as Gymnasium writes a map description. */
  String[] rows() {
    String[] rows = new String[size];
    for (int row = 0; row < size; row++) {
      rows[row] = new String(cells[row]);
    }
    return rows;
  }
}
