package dev.ludus.environments.sql;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SkyRL-SQL's multi-turn protocol and format check (NovaSky-AI/SkyRL, {@code skyrl_gym/envs/sql}): the agent
 * thinks in {@code <think>}, explores with one {@code <sql>…</sql>}, sees {@code <observation>…</observation>}
 * with the turns it has left, and answers once in {@code <solution>…</solution>}. Stateless.
 */
final class SkyRlSql {
  private static final Pattern SQL = Pattern.compile("<sql>(.*?)</sql>", Pattern.DOTALL);
  private static final Pattern TAG_IN_SOLUTION = Pattern.compile("</?(think|sql|observation)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern THINK = Pattern.compile("<think>(.*?)</think>", Pattern.DOTALL);
  private static final Pattern OBSERVATION_END = Pattern.compile("</observation>", Pattern.CASE_INSENSITIVE);
  private static final Pattern SOLUTION = Pattern.compile("<solution>(.*?)</solution>", Pattern.DOTALL);

  /** The observation of an action with neither a query nor a solution, as SkyRL words it. */
  static final String INVALID = "Your previous action is invalid. Follow the format of outputting thinking process "
      + "and sql tool, and try again.";

  private SkyRlSql() {}

  /** Whether an action ends the episode: it holds {@code <solution>} and {@code </solution>}. */
  static boolean answers(String action) {
    return action.contains("<solution>") && action.contains("</solution>");
  }

  /** The query of an exploring action: the body of its first {@code <sql>…</sql>}. */
  static Optional<String> query(String action) {
    Matcher m = SQL.matcher(action);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The body of the last {@code <solution>…</solution>} of an action, for the partial rewards when the format fails. */
  static Optional<String> lastSolution(String action) {
    Matcher m = SOLUTION.matcher(action);
    String last = null;
    while (m.find()) {
      last = m.group(1).strip();
    }
    return Optional.ofNullable(last);
  }

  /** An observation as SkyRL wraps it, with the reminder of the turns left. */
  static String observation(String body, int turnsLeft) {
    return "\n\n<observation>" + body + "\n" + reminder(turnsLeft) + "</observation>\n\n";
  }

  static String reminder(int turnsLeft) {
    return "<reminder>You have " + turnsLeft + " turns left to complete the task.</reminder>";
  }

  /**
   * SkyRL's {@code verify_format_and_extract} over the episode's actions and observations joined: the
   * solution's SQL when the format is valid (exactly one {@code <solution>…</solution>}, no think, sql or
   * observation tag inside it, at least one {@code <think>…</think>}, and each {@code </observation>} before
   * the solution followed by {@code <think>}), else empty, which SkyRL rewards with −1.
   */
  static Optional<String> validSolution(String history) {
    if (PythonText.count(history, "<solution>") != 1) {
      return Optional.empty();
    }
    int start = history.indexOf("<solution>");
    String pre = history.substring(0, start);
    String tail = history.substring(start + "<solution>".length());
    if (PythonText.count(tail, "</solution>") != 1) {
      return Optional.empty();
    }
    String solution = tail.substring(0, tail.indexOf("</solution>"));
    if (TAG_IN_SOLUTION.matcher(solution).find()) {
      return Optional.empty();
    }
    if (!THINK.matcher(history).find()) {
      return Optional.empty();
    }
    Matcher obs = OBSERVATION_END.matcher(pre);
    while (obs.find()) {
      String rest = pre.substring(obs.end()).strip();
      if (!rest.toLowerCase(Locale.ROOT).startsWith("<think>")) {
        return Optional.empty();
      }
    }
    return Optional.of(solution.strip());
  }
}
