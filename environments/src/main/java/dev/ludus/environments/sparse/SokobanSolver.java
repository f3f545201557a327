package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Breadth-first search over positions (player, boxes) for a shortest solution in moves. Every move costs
 * one, so the first solved position found is at the least depth. Pushes onto {@linkplain SokobanLevel#isDead dead
 * cells} are pruned, which never removes a solution. The search gives up after {@code maxStates} positions.
 * Stateless and thread-safe.
 */
final class SokobanSolver {
  /** Enough for every level the generator makes within its limits; about 30 MB at the worst. */
  static final int DEFAULT_MAX_STATES = 1_000_000;

  private SokobanSolver() {}

  /** A shortest solution from the level's start, if one is found within the default budget. */
  static Optional<List<Direction>> solve(SokobanLevel level) {
    return solve(level, level.player(), level.boxes(), DEFAULT_MAX_STATES);
  }

  /**
   * A shortest solution from the given position: empty when the position is unsolvable or the search
   * would visit more than {@code maxStates} positions; an empty list when it is already solved.
   */
  static Optional<List<Direction>> solve(SokobanLevel level, int player, int[] boxes, int maxStates) {
    int k = boxes.length;
    int[] cur = boxes.clone();
    Arrays.sort(cur);
    if (onTargets(level, cur) == k) {
      return Optional.of(List.of());
    }
    Direction[] dirs = Direction.values();
    Frontier q = new Frontier(1024);
    SokobanStates.LongSet seen = new SokobanStates.LongSet(1024);
    long start = SokobanStates.pack(player, cur);
    seen.add(start);
    q.add(start, -1, (byte) -1);
    boolean[] boxAt = new boolean[level.size()];
    int[] next = new int[k];
    for (int head = 0; head < q.size; head++) {
      long s = q.states[head];
      int p = SokobanStates.player(s);
      SokobanStates.boxes(s, cur);
      for (int b : cur) {
        boxAt[b] = true;
      }
      try {
        for (Direction d : dirs) {
          int off = level.offset(d.ordinal());
          int np = p + off;
          if (level.isWall(np)) {
            continue;
          }
          long ns;
          boolean pushed = boxAt[np];
          if (pushed) {
            int nb = np + off;
            if (level.isWall(nb) || boxAt[nb] || level.isDead(nb)) {
              continue;
            }
            SokobanStates.moveBox(cur, np, nb, next);
            ns = SokobanStates.pack(np, next);
          } else {
            ns = SokobanStates.withPlayer(s, np);
          }
          if (!seen.add(ns)) {
            continue;
          }
          q.add(ns, head, (byte) d.ordinal());
          if (pushed && onTargets(level, next) == k) {
            return Optional.of(q.path(q.size - 1, dirs));
          }
          if (q.size > maxStates) {
            return Optional.empty();
          }
        }
      } finally {
        for (int b : cur) {
          boxAt[b] = false;
        }
      }
    }
    return Optional.empty();
  }

  static int onTargets(SokobanLevel level, int[] boxes) {
    int n = 0;
    for (int b : boxes) {
      if (level.isTarget(b)) {
        n++;
      }
    }
    return n;
  }

  /** The BFS queue, kept whole so that paths can be read back through parent indices. */
  private static final class Frontier {
    long[] states;
    int[] parent;
    byte[] move;
    int size;

    Frontier(int capacity) {
      states = new long[capacity];
      parent = new int[capacity];
      move = new byte[capacity];
    }

    void add(long state, int parentIndex, byte m) {
      if (size == states.length) {
        int n = states.length * 2;
        states = Arrays.copyOf(states, n);
        parent = Arrays.copyOf(parent, n);
        move = Arrays.copyOf(move, n);
      }
      states[size] = state;
      parent[size] = parentIndex;
      move[size] = m;
      size++;
    }

    List<Direction> path(int index, Direction[] dirs) {
      List<Direction> moves = new ArrayList<>();
      for (int i = index; parent[i] >= 0; i = parent[i]) {
        moves.add(dirs[move[i]]);
      }
      Collections.reverse(moves);
      return List.copyOf(moves);
    }
  }
}
