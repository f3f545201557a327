package dev.ludus.environments.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A result as the agent reads it: a plain text table in the style of pandas' {@code DataFrame.to_string(index=False)}
 * (columns right-aligned, one row per line), which is what SkyRL-SQL shows, cut the way SkyRL cuts it: past
 * {@value #LONG} characters only the first {@value #TRUNCATED_ROWS} rows are shown, after a note. Deviations,
 * for the agent's sake: the header holds the column names (SkyRL's frame is built from a set of tuples, so its
 * header is 0, 1, 2, ...), rows keep SQLite's order and duplicates (SkyRL shows a set), cells are cut at
 * {@value #CELL} characters, and the whole text at {@value #MAX} characters. Nulls show as {@code None}, as in
 * pandas. Stateless.
 */
final class ResultTable {
  /** SkyRL's threshold: longer tables are cut to {@value #TRUNCATED_ROWS} rows. */
  static final int LONG = 9000;
  static final int TRUNCATED_ROWS = 50;
  static final int CELL = 200;
  static final int MAX = 12_000;

  private ResultTable() {}

  static String render(QueryResult.Rows result) {
    if (result.rows().isEmpty()) {
      return "Empty DataFrame\nColumns: " + result.columns() + "\nIndex: []";
    }
    String full = table(result.columns(), result.rows());
    String text = full.length() <= LONG ? full
        : "Truncated to " + TRUNCATED_ROWS + " lines since returned response too long: "
            + table(result.columns(), result.rows().subList(0, Math.min(TRUNCATED_ROWS, result.size())));
    if (result.truncated()) {
      text += "\n(more than " + result.size() + " rows; the rest were not fetched)";
    }
    return text.length() <= MAX ? text : text.substring(0, MAX) + "\n... (output cut at " + MAX + " characters)";
  }

  private static String table(List<String> columns, List<List<Object>> rows) {
    int n = columns.size();
    List<String[]> cells = new ArrayList<>(rows.size() + 1);
    cells.add(columns.stream().map(ResultTable::cut).toArray(String[]::new));
    for (List<Object> row : rows) {
      String[] line = new String[n];
      for (int i = 0; i < n; i++) {
        line[i] = cut(show(row.get(i)));
      }
      cells.add(line);
    }
    int[] width = new int[n];
    for (String[] line : cells) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] line : cells) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(" ".repeat(width[i] - line[i].length())).append(line[i]);
      }
    }
    return sb.toString();
  }

  static String show(Object v) {
    return v == null ? "None" : v.toString();
  }

  private static String cut(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= CELL ? one : one.substring(0, CELL - 3) + "...";
  }
}
