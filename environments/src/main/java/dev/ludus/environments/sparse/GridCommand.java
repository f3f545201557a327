package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gridworld's actions and how a text is read as one. */
enum GridCommand {
  UP("up", Direction.UP),
  DOWN("down", Direction.DOWN),
  LEFT("left", Direction.LEFT),
  RIGHT("right", Direction.RIGHT),
  PICK_UP("pick up", null),
  OPEN("open", null);

  private static final Pattern PICK = Pattern.compile("(?i)\\bpick\\s*-?\\s*up\\b|\\bpickup\\b|\\bpick\\b|\\bgrab\\b|\\btake\\b");
  private static final Pattern OPENING = Pattern.compile("(?i)\\bopen\\b|\\btoggle\\b|\\bunlock\\b");

  /** The words an agent writes for it. */
  final String word;
  /** The move, for the four moves; null otherwise. */
  final Direction direction;

  GridCommand(String word, Direction direction) {
    this.word = word;
    this.direction = direction;
  }

  /** The list of words for the rules and error messages. */
  static final String ALLOWED = "up, down, left, right, pick up, open";

  /**
   * Every command named in {@code text}: "pick up"/"pickup"/"grab"/"take" (the "up" of "pick up" is not a
   * move), "open"/"toggle"/"unlock", and the directions {@link ActionText#directions} reads.
   */
  static Set<GridCommand> named(String text) {
    Set<GridCommand> found = EnumSet.noneOf(GridCommand.class);
    Matcher pick = PICK.matcher(text);
    if (pick.find()) {
      found.add(PICK_UP);
    }
    String rest = pick.replaceAll(" ");
    Matcher open = OPENING.matcher(rest);
    if (open.find()) {
      found.add(OPEN);
    }
    rest = open.replaceAll(" ");
    for (Direction d : ActionText.directions(rest)) {
      found.add(switch (d) {
        case UP -> UP;
        case DOWN -> DOWN;
        case LEFT -> LEFT;
        case RIGHT -> RIGHT;
      });
    }
    return found;
  }
}
