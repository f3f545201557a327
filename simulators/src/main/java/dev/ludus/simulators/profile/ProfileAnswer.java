package dev.ludus.simulators.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's turn in RLPA's format, {@code <profile>\n…\n</profile>\n\n<response>\n…\n</response>}: the profile it
 * infers (one fact a line) and what it says to the user. Immutable.
 *
 * @param lines the inferred profile's non-blank lines, stripped of list markers ({@code -}, {@code *}, {@code 1.})
 * @param response what the user is told, stripped
 */
public record ProfileAnswer(List<String> lines, String response) {
  /** The most profile lines read; RLPA's profiles are short. */
  public static final int MAX_LINES = 50;

  private static final Pattern FORMAT = Pattern.compile(
      "\\A\\s*<profile>(.*?)</profile>\\s*<response>(.*?)</response>\\s*\\z", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern MARKER = Pattern.compile("^\\s*([-*•]|\\d+[.)])\\s*");

  public ProfileAnswer {
    lines = List.copyOf(lines);
  }

  /** The parse of one message: the answer, or why it is not in the format. */
  public sealed interface Parse permits Parsed, Malformed {}

  /** A message in the format. */
  public record Parsed(ProfileAnswer answer) implements Parse {}

  /** A message not in the format, and why. */
  public record Malformed(String reason) implements Parse {}

  /** Reads {@code text}; never throws. */
  public static Parse parse(String text) {
    if (text == null || text.isBlank()) {
      return new Malformed("the message is empty; write <profile>...</profile> then <response>...</response>");
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return new Malformed("the message must be <profile>\\n(one fact a line)\\n</profile>\\n\\n<response>\\n(what you"
          + " say)\\n</response> and nothing else");
    }
    String response = m.group(2).strip();
    if (response.isEmpty()) {
      return new Malformed("the <response> is empty");
    }
    List<String> lines = new ArrayList<>();
    for (String line : m.group(1).split("\\R")) {
      String l = MARKER.matcher(line).replaceFirst("").strip();
      if (!l.isEmpty() && lines.size() < MAX_LINES) {
        lines.add(l);
      }
    }
    return new Parsed(new ProfileAnswer(lines, response));
  }

  /** {@code lines} and {@code response} in the format. */
  public static String format(List<String> lines, String response) {
    return "<profile>\n" + String.join("\n", lines) + "\n</profile>\n\n<response>\n" + response + "\n</response>";
  }
}
