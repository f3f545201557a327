package dev.ludus.environments.sparse;

import dev.ludus.api.Message;
import dev.ludus.environments.text.ActionText;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.Optional;

/** What the agent reads in the sokoban environment, and how its moves are read. Stateless. */
final class SokobanText {
  private SokobanText() {}

  static final String MOVES = "up, down, left, right";

  static String systemPrompt(SokobanConfig config) {
    return """
        You are playing Sokoban on a small grid. Goal: push every box onto a target.

        Legend:
          #  wall
          _  floor
          O  box
          X  target (empty)
          *  box on a target
          P  you, the player
          S  you, standing on a target

        Rules:
        - Each turn you make one move: up, down, left or right (up is towards the top row).
        - Walking into a box pushes it one cell in the same direction, but only if the cell behind it is \
        floor or an empty target. You cannot push a box into a wall or into another box, push two boxes at \
        once, or pull a box.
        - A blocked move is allowed but changes nothing.
        - The game ends with reward 1 when every box is on a target. You have %d turns; a turn whose \
        answer cannot be read still counts.

        Answer with exactly one move per turn, for example: <answer>left</answer>
        """.formatted(config.maxTurns());
  }

  /** The move named in the message, read leniently; empty when none or several different ones are named. */
  static Optional<Direction> parseMove(Message action) {
    return ActionText.direction(ActionText.extract(action));
  }

  /** Why {@code action} holds no move, for the agent and the invalid-action signal. */
  static String invalidReason(Message action) {
    String text = ActionText.extract(action);
    if (text.isEmpty() && !action.toolCalls().isEmpty()) {
      return "this game has no tools; write your move as text. Allowed moves: " + MOVES + ".";
    }
    if (text.isEmpty()) {
      return "the answer was empty. Allowed moves: " + MOVES + ".";
    }
    return "could not read exactly one move from \"" + excerpt(text)
        + "\" (no direction named, or several different ones). Allowed moves: " + MOVES + ".";
  }

  static String outcome(SokobanGame.Outcome outcome, Direction d) {
    return switch (outcome) {
      case MOVED -> "You moved " + d.word() + ".";
      case PUSHED -> "You pushed a box " + d.word() + ".";
      case BLOCKED_BY_WALL -> "Blocked: you cannot move " + d.word() + ", a wall is in the way. Nothing changed.";
      case BOX_BLOCKED -> "Blocked: you cannot push the box " + d.word() + ", a wall or another box is behind it. "
          + "Nothing changed.";
    };
  }

  /**
   * The board, then what just happened ({@code lead}) and what is left. The board opens the message so that it
   * starts at the same place of every observation whatever happened before it: a policy that reads the latest
   * observation alone with learned positions sees the same board at the same positions (after a lead of varying
   * length, sokoban 4x4's warm start fitted token accuracy 0.953 to 0.970; board first, 0.986 to 0.989).
   */
  static String board(String lead, SokobanGame game, int turnsLeft) {
    StringBuilder sb = new StringBuilder();
    sb.append(game.render()).append("\n\n");
    if (!lead.isEmpty()) {
      sb.append(lead).append('\n');
    }
    sb.append("Boxes on targets: ").append(game.boxesOnTarget()).append(" of ").append(game.level().boxCount())
        .append(". Turns left: ").append(turnsLeft).append(".\n");
    return sb.toString();
  }

  private static String excerpt(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
  }
}
