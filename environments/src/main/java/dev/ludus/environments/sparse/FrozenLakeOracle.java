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

  /** The move that maximises the chance of reaching the goal within {@code turnsLeft} slippery moves. */
  static Direction bestOnSlipperyIce(LakeMap map, Cell from, int turnsLeft) {
    int n = map.size;
    double[][] value = new double[n][n];
    value[n - 1][n - 1] = 1.0;
    for (int k = 1; k < turnsLeft; k++) {
      double[][] next = new double[n][n];
      for (int row = 0; row < n; row++) {
        for (int col = 0; col < n; col++) {
          Cell c = new Cell(row, col);
          char t = map.at(c);
          if (t == LakeMap.GOAL) {
            next[row][col] = 1.0;
          } else if (t != LakeMap.HOLE) {
            double best = 0.0;
            for (Direction d : Direction.values()) {
              best = Math.max(best, expected(map, c, d, value));
            }
            next[row][col] = best;
          }
        }
      }
      value = next;
    }
    Direction best = Direction.DOWN;
    double bestValue = -1.0;
    int bestSteps = Integer.MAX_VALUE;
    for (Direction d : Direction.values()) {
      double q = expected(map, from, d, value);
      int steps = distance(map, map.move(from, d));
      if (q > bestValue + 1e-12 || (Math.abs(q - bestValue) <= 1e-12 && steps < bestSteps)) {
        best = d;
        bestValue = q;
        bestSteps = steps;
      }
    }
    return best;
  }

  /** The value of moving {@code d} from {@code c} on slippery ice, under the values after the move. */
  private static double expected(LakeMap map, Cell c, Direction d, double[][] value) {
    Direction[] side = FrozenLakeEnvironment.sideways(d);
    Cell a = map.move(c, d);
    Cell b = map.move(c, side[0]);
    Cell e = map.move(c, side[1]);
    return (value[a.row()][a.col()] + value[b.row()][b.col()] + value[e.row()][e.col()]) / 3.0;
  }

  private static int distance(LakeMap map, Cell c) {
    int steps = map.stepsToGoal(c);
    return steps < 0 ? Integer.MAX_VALUE : steps;
  }
}
