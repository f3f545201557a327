package dev.ludus.environments.sparse;

import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Seeds;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.environments.text.ActionText;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gymnasium's FrozenLake in text. The lake ({@link LakeMap}) is generated from the task seed and always
 * has a path from S to G. The agent walks one cell per action; moving off the edge leaves it in place.
 * When {@code slippery}, the intended move happens with probability 1/3 and each of the two perpendicular
 * moves with 1/3, drawn from {@code Seeds.mix(episodeSeed, turn)}: an episode replays exactly under its
 * seed, and invalid actions draw nothing.
 *
 * <p>Observation: fully observable; what happened, the turns left, the agent's row and column (from 1,
 * top left) and the map with the agent drawn as {@code @}. Actions: {@code up}, {@code down},
 * {@code left}, {@code right} (or north/south/west/east, or u/d/l/r alone), read with {@link ActionText};
 * a message naming no direction or several is invalid ({@link StandardSignals#INVALID_ACTION}) and uses
 * a turn.
 *
 * <p>Reward 1 on reaching G (terminated, success); falling into H terminates with reward 0 and no
 * success. Signals: {@link SparseSignals#STEPS_TO_GOAL} (fewest moves to G avoiding holes, ignoring
 * slips) on reset and every step except a fall; {@link StandardSignals#SUCCESS} on the final step.
 * Truncated after {@code maxTurns} actions. Not thread-safe.
 */
final class FrozenLakeEnvironment extends TextGame {
  private final FrozenLakeConfig config;
  private LakeMap map;
  private Cell position;
  private long seed;

  FrozenLakeEnvironment(FrozenLakeConfig config) {
    super(config.maxTurns());
    this.config = config;
  }

  @Override
  Reset start(Task task, long seed) {
    this.seed = seed;
    map = LakeMap.generate(config.size(), config.holeProbability(), task.seed());
    position = map.start();
    String rules = "You are crossing a frozen lake of " + config.size() + " x " + config.size()
        + " cells. Walk from the start S (top left) to the goal G (bottom right) without falling into a "
        + "hole H; F is frozen ice, safe to stand on, and @ marks you. Moving off the edge leaves you in "
        + "place.\n"
        + (config.slippery()
            ? "The ice is slippery: you move in the direction you chose only one time in three; otherwise "
                + "you slide to one of the two directions at right angles to it.\n"
            : "")
        + "Actions, one per turn: up, down, left, right.\n"
        + "Reaching G ends the game with reward 1; falling into a hole ends it with 0. You have "
        + config.maxTurns() + " turns.\n"
        + "Reply with one action, for example <action>down</action>.";
    return new Reset(List.of(Message.system(rules), Message.user("You stand at the start.\n\n" + observation())),
        List.of(), signals());
  }

  @Override
  Outcome play(Message action) {
    String text = ActionText.extract(action);
    Set<Direction> named = ActionText.directions(text);
    if (named.size() != 1) {
      String why = text.isEmpty()
          ? "your message has no action." + toolNote(action)
          : named.isEmpty()
              ? "I could not read a direction in " + quote(text) + "."
              : "I read several directions in " + quote(text) + "; write exactly one.";
      return invalid(why, "Allowed actions: up, down, left, right. Write exactly one, for example "
          + "<action>down</action>.\n\n" + observation(), signals());
    }
    Direction intended = named.iterator().next();
    Direction actual = config.slippery() ? slide(intended) : intended;
    Cell to = map.move(position, actual);
    String what = actual == intended
        ? "You go " + intended.word()
        : "You try to go " + intended.word() + " and slip " + actual.word();
    what += to.equals(position) ? " into the edge of the lake: you stay where you are." : ".";
    position = to;
    char at = map.at(to);
    if (at == LakeMap.HOLE) {
      return new Outcome(what + " You fall into a hole at " + where() + ". The game is over.", 0.0, true, false,
          Signals.empty());
    }
    if (at == LakeMap.GOAL) {
      return new Outcome(what + " You reach the goal in " + turn() + " turns!", 1.0, true, true, signals());
    }
    return new Outcome(what + "\n\n" + observation(), 0.0, false, false, signals());
  }

  /** The move that happens when the agent means {@code intended} on slippery ice. */
  private Direction slide(Direction intended) {
    int draw = new SplittableRandom(Seeds.mix(seed, turn())).nextInt(3);
    Direction[] sideways = sideways(intended);
    return draw == 0 ? intended : sideways[draw - 1];
  }

  /** The two directions at right angles to {@code d}. */
  static Direction[] sideways(Direction d) {
    return switch (d) {
      case UP, DOWN -> new Direction[] {Direction.LEFT, Direction.RIGHT};
      case LEFT, RIGHT -> new Direction[] {Direction.UP, Direction.DOWN};
    };
  }

  private String where() {
    return String.format(Locale.ROOT, "row %d, column %d", position.row() + 1, position.col() + 1);
  }

  private String observation() {
    return turnsLeftLine() + " You are at " + where() + ".\n" + map.render(position);
  }

  private Signals signals() {
    return Signals.of(SparseSignals.STEPS_TO_GOAL, map.stepsToGoal(position));
  }

  /** The lake being played (for the oracle and tests). */
  LakeMap map() {
    return map;
  }

  /** Where the agent stands (for the oracle and tests). */
  Cell position() {
    return position;
  }
}
