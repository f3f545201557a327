package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class GridworldProperties {

  /**
   * Solvability checked independently of the level's own planner: on the drawn map, a breadth-first
   * search finds the key from the start, the locked door from the key, and the goal from the door.
   */
  @Property(tries = 300)
  void everyGeneratedLevelIsSolvable(
      @ForAll long seed, @ForAll @IntRange(min = 5, max = 25) int width, @ForAll @IntRange(min = 4, max = 25) int height) {
    GridLevel level = GridLevel.generate(width, height, seed);
    char[][] map = parse(level.render(level.initial()));
    assertEquals(1, count(map, '@'));
    assertEquals(1, count(map, 'K'));
    assertEquals(1, count(map, 'D'));
    assertEquals(1, count(map, 'G'));
    Cell start = find(map, '@');
    Cell key = find(map, 'K');
    Cell door = find(map, 'D');
    Cell goal = find(map, 'G');
    assertTrue(reachable(map, start, key, false), "key unreachable\n" + level.render(level.initial()));
    assertTrue(reachable(map, key, door, false), "door unreachable\n" + level.render(level.initial()));
    assertTrue(reachable(map, door, goal, true), "goal unreachable\n" + level.render(level.initial()));
    assertTrue(!reachable(map, start, goal, false), "the goal must lie behind the door");
  }

  /** Following the planner's commands from the start always ends on the goal. */
  @Property(tries = 200)
  void thePlanReachesTheGoal(
      @ForAll long seed, @ForAll @IntRange(min = 5, max = 15) int width, @ForAll @IntRange(min = 4, max = 15) int height) {
    GridLevel level = GridLevel.generate(width, height, seed);
    GridLevel.State s = level.initial();
    List<GridCommand> plan = level.plan(s).orElseThrow();
    for (GridCommand c : plan) {
      GridLevel.Result r = level.apply(s, c);
      assertEquals(null, r.invalid());
      s = r.next();
    }
    assertEquals(level.goal, s.agent());
  }

  private static char[][] parse(String render) {
    return render.lines().map(l -> l.replace(" ", "").toCharArray()).toArray(char[][]::new);
  }

  private static int count(char[][] map, char c) {
    int n = 0;
    for (char[] row : map) {
      for (char x : row) {
        n += x == c ? 1 : 0;
      }
    }
    return n;
  }

  private static Cell find(char[][] map, char c) {
    for (int r = 0; r < map.length; r++) {
      for (int col = 0; col < map[r].length; col++) {
        if (map[r][col] == c) {
          return new Cell(r, col);
        }
      }
    }
    throw new AssertionError("no " + c);
  }

  /** Whether {@code to} is reachable from {@code from} over non-wall cells (the door only when open). */
  private static boolean reachable(char[][] map, Cell from, Cell to, boolean doorOpen) {
    boolean[][] seen = new boolean[map.length][map[0].length];
    ArrayDeque<Cell> queue = new ArrayDeque<>(List.of(from));
    seen[from.row()][from.col()] = true;
    int[][] moves = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (!queue.isEmpty()) {
      Cell c = queue.poll();
      if (c.equals(to)) {
        return true;
      }
      for (int[] m : moves) {
        int r = c.row() + m[0];
        int col = c.col() + m[1];
        if (r < 0 || r >= map.length || col < 0 || col >= map[r].length || seen[r][col]) {
          continue;
        }
        char t = map[r][col];
        boolean target = r == to.row() && col == to.col();
        if (t == '#' || (t == 'D' && !doorOpen && !target)) {
          continue;
        }
        seen[r][col] = true;
        queue.add(new Cell(r, col));
      }
    }
    return false;
  }
}
