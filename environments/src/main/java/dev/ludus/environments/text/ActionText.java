package dev.ludus.environments.text;

import dev.ludus.api.Message;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient reading of an agent's text action, shared by the text environments: the intent is taken when it
 * is clear (an {@code <answer>} tag, a code fence, the last line, a direction word anywhere), and what
 * cannot be read is reported, never guessed.
 */
public final class ActionText {
  private ActionText() {}

  private static final Pattern ANSWER_TAG = Pattern.compile("(?is)<answer>(.*?)</answer>");
  private static final Pattern ACTION_TAG = Pattern.compile("(?is)<action>(.*?)</action>");
  private static final Pattern FENCE = Pattern.compile("(?s)```[a-zA-Z]*\\s*(.*?)```");
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern WORD = Pattern.compile("[a-z]+");

  /**
   * The part of the message that holds the action: the last {@code <answer>} or {@code <action>} tag if
   * any, else the last code fence, else the whole content; trimmed. Tool calls are ignored here.
   */
  public static String extract(Message message) {
    String text = message.content() == null ? "" : message.content();
    for (Pattern p : new Pattern[] {ANSWER_TAG, ACTION_TAG, FENCE}) {
      Matcher m = p.matcher(text);
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last != null) {
        return last.trim();
      }
    }
    return text.trim();
  }

  /** The last integer written in {@code text}, if any (e.g. "I guess 42" gives 42). */
  public static Optional<Long> lastInteger(String text) {
    Matcher m = INTEGER.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(last));
    } catch (NumberFormatException tooLong) {
      return Optional.empty();
    }
  }

  /** A move on a grid: the four compass directions. */
  public enum Direction {
    UP(-1, 0),
    DOWN(1, 0),
    LEFT(0, -1),
    RIGHT(0, 1);

    public final int dRow;
    public final int dCol;

    Direction(int dRow, int dCol) {
      this.dRow = dRow;
      this.dCol = dCol;
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The single direction named in {@code text} (up/down/left/right, north/south/west/east, or the letters
   * u/d/l/r or w/a/s/d alone). Empty when none is named or when several different ones are (ambiguous).
   */
  public static Optional<Direction> direction(String text) {
    Set<Direction> named = directions(text);
    return named.size() == 1 ? Optional.of(named.iterator().next()) : Optional.empty();
  }

  /**
   * Every direction named in {@code text}, with the words and letters {@link #direction} reads; empty
   * when none is. Lets a caller tell "no direction" from "several directions" (ambiguous).
   */
  public static Set<Direction> directions(String text) {
    Set<Direction> found = EnumSet.noneOf(Direction.class);
    String only = text.trim().toLowerCase(Locale.ROOT);
    if (only.length() == 1) {
      switch (only) {
        case "u", "w" -> found.add(Direction.UP);
        case "d", "s" -> found.add(Direction.DOWN);
        case "l", "a" -> found.add(Direction.LEFT);
        case "r" -> found.add(Direction.RIGHT);
        default -> { }
      }
      return found;
    }
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      switch (m.group()) {
        case "up", "north" -> found.add(Direction.UP);
        case "down", "south" -> found.add(Direction.DOWN);
        case "left", "west" -> found.add(Direction.LEFT);
        case "right", "east" -> found.add(Direction.RIGHT);
        default -> { }
      }
    }
    return found;
  }

  /** Whether {@code text} contains {@code word} as a whole word, ignoring case. */
  public static boolean hasWord(String text, String word) {
    return Pattern.compile("(?i)\\b" + Pattern.quote(word) + "\\b").matcher(text).find();
  }
}
