package dev.ludus.environments.sparse;

import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes solvable Sokoban levels from a seed, by reverse play as in gym-sokoban (Schrader 2018) and RAGEN.
 *
 * <ol>
 *   <li>A room: the walled {@code width x height} interior starts as wall and a random walk carves floor
 *       with small brushes, so the floor is connected. After {@value #OPEN_AFTER} rejected rooms, the
 *       interior is left all floor.
 *   <li>Targets on distinct random floor cells, with the boxes on them.
 *   <li>Exhaustive reverse play: a breadth-first search that moves the player backwards and <em>pulls</em>
 *       boxes, starting from every solved position (boxes on targets, player on any free floor cell). A
 *       position first reached at depth {@code d} is one whose shortest solution takes exactly {@code d}
 *       moves, so every level is solvable by construction, depth 0 holds exactly the solved positions, and
 *       the difficulty is known. The depth is drawn uniformly from {@code [ceil(r/2), r]} for
 *       {@code r = reverseSteps}; among a few positions sampled at that depth, the one whose boxes lie
 *       farthest from the targets is kept.
 * </ol>
 *
 * A room where no box can be pulled at all is rejected. When no room reaches the drawn depth in
 * {@value #ATTEMPTS} attempts, the deepest level found is used. The search stops after
 * {@value #MAX_STATES} positions, then uses the depth it reached. Stateless and thread-safe.
 */
final class SokobanGenerator {
  static final int ATTEMPTS = 24;
  static final int OPEN_AFTER = 12;
  static final int MAX_STATES = 200_000;
  private static final int SAMPLES = 5;
  private static final double TURN_PROBABILITY = 0.35;

  /** Brushes: cell offsets (row, column) carved around the walker. */
  private static final int[][][] BRUSHES = {
    {{0, 0}},
    {{0, 0}, {0, 1}},
    {{0, 0}, {1, 0}},
    {{0, 0}, {0, 1}, {1, 0}, {1, 1}},
    {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}},
  };

  private SokobanGenerator() {}

  /** The level for {@code seed}; the same config and seed always give the same level. */
  static SokobanLevel generate(SokobanConfig config, long seed) {
    SplittableRandom draw = new SplittableRandom(Seeds.mix(seed, -1));
    int high = config.reverseSteps();
    int low = Math.max(1, (high + 1) / 2);
    int depth = low + draw.nextInt(high - low + 1);
    SokobanLevel best = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, attempt));
      SokobanLevel room = room(config, rng, attempt >= OPEN_AFTER);
      if (room == null) {
        continue;
      }
      Reverse r = reverse(room, depth);
      if (r.deepest() == 0) {
        continue;
      }
      SokobanLevel level = r.pick(Math.min(depth, r.deepest()), rng);
      if (r.deepest() >= depth || r.capped) {
        return level;
      }
      if (best == null || level.optimalMoves() > best.optimalMoves()) {
        best = level;
      }
    }
    if (best == null) {
      throw new IllegalStateException("could not make a sokoban level for " + config + " and seed " + seed
          + " in " + ATTEMPTS + " attempts");
    }
    return best;
  }

  /** A room with its targets (boxes on them, player anywhere), or null when it has too little floor. */
  private static SokobanLevel room(SokobanConfig config, SplittableRandom rng, boolean open) {
    int rows = config.height() + 2;
    int cols = config.width() + 2;
    boolean[] wall = new boolean[rows * cols];
    Arrays.fill(wall, true);
    if (open) {
      for (int r = 1; r <= config.height(); r++) {
        for (int c = 1; c <= config.width(); c++) {
          wall[r * cols + c] = false;
        }
      }
    } else {
      carve(config, rng, wall, cols);
    }
    List<Integer> floor = new ArrayList<>();
    for (int i = 0; i < wall.length; i++) {
      if (!wall[i]) {
        floor.add(i);
      }
    }
    int area = config.width() * config.height();
    if (floor.size() < Math.max(2 * config.boxes() + 2, (2 * area + 4) / 5)) {
      return null;
    }
    int[] targets = new int[config.boxes()];
    for (int i = 0; i < targets.length; i++) {
      int j = i + rng.nextInt(floor.size() - i);
      Integer t = floor.get(j);
      floor.set(j, floor.get(i));
      floor.set(i, t);
      targets[i] = t;
    }
    return new SokobanLevel(rows, cols, wall, targets, floor.get(targets.length), targets, 0);
  }

  private static void carve(SokobanConfig config, SplittableRandom rng, boolean[] wall, int cols) {
    int h = config.height();
    int w = config.width();
    int r = 1 + rng.nextInt(h);
    int c = 1 + rng.nextInt(w);
    int[][] steps = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    int[] dir = steps[rng.nextInt(4)];
    int walk = (3 * (w + h)) / 2 + (w * h) / 4;
    for (int s = 0; s < walk; s++) {
      if (rng.nextDouble() < TURN_PROBABILITY) {
        dir = steps[rng.nextInt(4)];
      }
      for (int[] cell : BRUSHES[rng.nextInt(BRUSHES.length)]) {
        int rr = r + cell[0];
        int cc = c + cell[1];
        if (rr >= 1 && rr <= h && cc >= 1 && cc <= w) {
          wall[rr * cols + cc] = false;
        }
      }
      int nr = r + dir[0];
      int nc = c + dir[1];
      if (nr < 1 || nr > h || nc < 1 || nc > w) {
        dir = steps[rng.nextInt(4)];
      } else {
        r = nr;
        c = nc;
      }
    }
  }

  /**
   * Breadth-first reverse play from every solved position of {@code room} down to depth {@code maxDepth}.
   * A reverse move takes the player one step to free floor, optionally pulling the box just behind it.
   */
  static Reverse reverse(SokobanLevel room, int maxDepth) {
    int k = room.boxCount();
    int[] targets = room.targets();
    SokobanStates.LongSet seen = new SokobanStates.LongSet(4096);
    SokobanStates.LongList queue = new SokobanStates.LongList(4096);
    for (int p = 0; p < room.size(); p++) {
      if (!room.isWall(p) && !room.isTarget(p)) {
        long s = SokobanStates.pack(p, targets);
        seen.add(s);
        queue.add(s);
      }
    }
    List<Integer> depthStart = new ArrayList<>(List.of(0));
    boolean[] boxAt = new boolean[room.size()];
    int[] cur = new int[k];
    int[] next = new int[k];
    boolean capped = false;
    int head = 0;
    for (int depth = 0; depth < maxDepth && head < queue.size() && !capped; depth++) {
      int end = queue.size();
      depthStart.add(end);
      for (; head < end; head++) {
        long s = queue.get(head);
        int p = SokobanStates.player(s);
        SokobanStates.boxes(s, cur);
        for (int b : cur) {
          boxAt[b] = true;
        }
        for (int d = 0; d < 4; d++) {
          int off = room.offset(d);
          int to = p + off;
          if (room.isWall(to) || boxAt[to]) {
            continue;
          }
          long walked = SokobanStates.withPlayer(s, to);
          if (seen.add(walked)) {
            queue.add(walked);
          }
          int behind = p - off;
          if (boxAt[behind]) {
            SokobanStates.moveBox(cur, behind, p, next);
            long pulled = SokobanStates.pack(to, next);
            if (seen.add(pulled)) {
              queue.add(pulled);
            }
          }
        }
        for (int b : cur) {
          boxAt[b] = false;
        }
        if (queue.size() > MAX_STATES) {
          capped = true;
          break;
        }
      }
    }
    depthStart.add(queue.size());
    // depthStart[d] .. depthStart[d + 1] hold the positions at depth d; trailing empty depths are dropped
    int deepest = depthStart.size() - 2;
    while (deepest > 0 && depthStart.get(deepest).equals(depthStart.get(deepest + 1))) {
      deepest--;
    }
    return new Reverse(room, queue, depthStart, deepest, capped);
  }

  /** The positions found by reverse play, in order of depth. */
  static final class Reverse {
    private final SokobanLevel room;
    private final int[] targets;
    private final SokobanStates.LongList states;
    private final List<Integer> depthStart;
    private final int deepest;
    final boolean capped;

    private Reverse(SokobanLevel room, SokobanStates.LongList states, List<Integer> depthStart, int deepest, boolean capped) {
      this.room = room;
      this.targets = room.targets();
      this.states = states;
      this.depthStart = depthStart;
      this.deepest = deepest;
      this.capped = capped;
    }

    /** The greatest depth with any position. */
    int deepest() {
      return deepest;
    }

    /** How many positions are at {@code depth}. */
    int count(int depth) {
      return depthStart.get(depth + 1) - depthStart.get(depth);
    }

    long state(int depth, int i) {
      return states.get(depthStart.get(depth) + i);
    }

    /** A level starting at a position of depth {@code depth}, its boxes far from the targets. */
    SokobanLevel pick(int depth, SplittableRandom rng) {
      int n = count(depth);
      int[] boxes = new int[room.boxCount()];
      long best = -1;
      int bestScore = -1;
      for (int i = 0; i < SAMPLES; i++) {
        long s = state(depth, rng.nextInt(n));
        SokobanStates.boxes(s, boxes);
        int score = displacement(boxes);
        if (score > bestScore) {
          bestScore = score;
          best = s;
        }
      }
      SokobanStates.boxes(best, boxes);
      boolean[] wall = new boolean[room.size()];
      for (int i = 0; i < wall.length; i++) {
        wall[i] = room.isWall(i);
      }
      return new SokobanLevel(room.rows, room.cols, wall, targets, SokobanStates.player(best), boxes, depth);
    }

    /** The sum over boxes of the Manhattan distance to the nearest target. */
    private int displacement(int[] boxes) {
      int total = 0;
      for (int b : boxes) {
        int nearest = Integer.MAX_VALUE;
        for (int t : targets) {
          int dist = Math.abs(b / room.cols - t / room.cols) + Math.abs(b % room.cols - t % room.cols);
          nearest = Math.min(nearest, dist);
        }
        total += nearest;
      }
      return total;
    }
  }
}
