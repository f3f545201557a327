package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.concurrent.CompletionStage;

/**
 * The frozen-lake oracle. It regenerates the lake from the task seed and replays its own earlier actions
 * (under the episode seed, so the same slips happen) to find where it stands and how many turns are left.
 * On firm ice it follows a shortest path. On slippery ice it acts on finite-horizon value iteration: it
 * picks the move that maximises the probability of reaching G within the turns left, given that each move
 * goes as intended or to either side with probability 1/3 each; ties go to the move whose intended cell
 * is closest to G. Cost per call: O(turns left x cells). Stateless and thread-safe.
 */
final class FrozenLakeOracle implements Agent {
  private final FrozenLakeConfig config;

  FrozenLakeOracle(FrozenLakeConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    try (FrozenLakeEnvironment game = Scripted.replay(new FrozenLakeEnvironment(config), request)) {
      if (game.done()) {
        return Scripted.over();
      }
      Direction d = config.slippery()
          ? bestOnSlipperyIce(game.map(), game.position(), game.turnsLeft())
          : bestOnFirmIce(game.map(), game.position());
      return Scripted.say("<action>" + d.word() + "</action>");
    }
  }

  /** The first move of a shortest path to the goal. */
  static Direction bestOnFirmIce(LakeMap map, Cell from) {
    Direction best = Direction.DOWN;
    int bestSteps = Integer.MAX_VALUE;
    for (Direction d : Direction.values()) {
      int steps = distance(map, map.move(from, d));
      if (steps < bestSteps) {
        best = d;
        bestSteps = steps;
      }
    }
    return best;
  }

  private static final Direction[] DIRECTIONS = Direction.values();

  /** For each direction (by ordinal): itself and its two sideways directions, the three equally likely outcomes. */
  private static final int[][] OUTCOMES = new int[DIRECTIONS.length][];

  static {
    for (Direction d : DIRECTIONS) {
      Direction[] side = FrozenLakeEnvironment.sideways(d);
      OUTCOMES[d.ordinal()] = new int[] {d.ordinal(), side[0].ordinal(), side[1].ordinal()};
    }
  }

  /** The move that maximises the chance of reaching the goal within {@code turnsLeft} slippery moves. */
  static Direction bestOnSlipperyIce(LakeMap map, Cell from, int turnsLeft) {
    int n = map.size;
    int[][] landing = landing(map);
    double[] value = successWithin(map, turnsLeft - 1);
    int at = from.row() * n + from.col();
    Direction best = Direction.DOWN;
    double bestValue = -1.0;
    int bestSteps = Integer.MAX_VALUE;
    for (Direction d : DIRECTIONS) {
      double q = expected(landing[at], OUTCOMES[d.ordinal()], value);
      int steps = distance(map, map.move(from, d));
      if (q > bestValue + 1e-12 || (Math.abs(q - bestValue) <= 1e-12 && steps < bestSteps)) {
        best = d;
        bestValue = q;
        bestSteps = steps;
      }
    }
    return best;
  }

  /**
   * For each cell (row-major), the highest probability of reaching the goal on slippery ice within
   * {@code moves} moves (finite-horizon value iteration; holes are 0, the goal is 1).
   */
  static double[] successWithin(LakeMap map, int moves) {
    int n = map.size;
    int cells = n * n;
    int[][] landing = landing(map);
    boolean[] open = new boolean[cells];
    for (int c = 0; c < cells; c++) {
      char t = map.at(new Cell(c / n, c % n));
      open[c] = t == LakeMap.FROZEN || t == LakeMap.START;
    }
    int goal = cells - 1;
    double[] value = new double[cells];
    value[goal] = 1.0;
    double[] next = new double[cells];
    for (int k = 0; k < moves; k++) {
      for (int c = 0; c < cells; c++) {
        double best = 0.0;
        if (open[c]) {
          for (int[] outcomes : OUTCOMES) {
            best = Math.max(best, expected(landing[c], outcomes, value));
          }
        }
        next[c] = best;
      }
      next[goal] = 1.0;
      double[] swap = value;
      value = next;
      next = swap;
    }
    return value;
  }

  /** {@code landing[c][d]}: the cell (row-major) where a move towards direction {@code d} from cell {@code c} lands. */
  private static int[][] landing(LakeMap map) {
    int n = map.size;
    int[][] landing = new int[n * n][DIRECTIONS.length];
    for (int c = 0; c < n * n; c++) {
      for (Direction d : DIRECTIONS) {
        Cell to = map.move(new Cell(c / n, c % n), d);
        landing[c][d.ordinal()] = to.row() * n + to.col();
      }
    }
    return landing;
  }

  /** The value of a move whose three equally likely outcomes are {@code outcomes}. */
  private static double expected(int[] landing, int[] outcomes, double[] value) {
    return (value[landing[outcomes[0]]] + value[landing[outcomes[1]]] + value[landing[outcomes[2]]]) / 3.0;
  }

  private static int distance(LakeMap map, Cell c) {
    int steps = map.stepsToGoal(c);
    return steps < 0 ? Integer.MAX_VALUE : steps;
  }
}
