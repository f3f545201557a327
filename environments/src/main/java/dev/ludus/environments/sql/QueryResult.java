package dev.ludus.environments.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What one statement gave: its rows, or why it gave none. Immutable and thread-safe. */
sealed interface QueryResult permits QueryResult.Rows, QueryResult.Failed {

  /** Whether the statement ran to the end. */
  default boolean ran() {
    return this instanceof Rows;
  }

  /**
   * The rows of a statement that ran, with the values as SQLite gave them: {@link Long}, {@link Double},
   * {@link String}, null, and blobs as {@code X'…'} hex text.
   *
   * @param columns the result's column labels
   * @param rows the rows fetched, in the order SQLite returned them
   * @param truncated whether more rows were there than the sandbox's row limit let it fetch
   */
  record Rows(List<String> columns, List<List<Object>> rows, boolean truncated) implements QueryResult {
    public Rows {
      columns = List.copyOf(columns);
      List<List<Object>> copy = new ArrayList<>(rows.size());
      for (List<Object> row : rows) {
        copy.add(Collections.unmodifiableList(new ArrayList<>(row))); // values may be null
      }
      rows = Collections.unmodifiableList(copy);
    }

    int size() {
      return rows.size();
    }

    /**
     * Whether the result says nothing: no row, or one row whose every value is null or zero (a count of
     * nothing, an average over nothing). Generated questions with such a gold are rejected.
     */
    boolean degenerate() {
      if (rows.isEmpty()) {
        return true;
      }
      if (rows.size() > 1) {
        return false;
      }
      for (Object v : rows.get(0)) {
        if (v != null && !(v instanceof Number n && n.doubleValue() == 0)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Why a statement gave no rows. */
  enum Failure {
    /** The sandbox refused it before SQLite saw it (a write, ATTACH, a PRAGMA that is not read-only, ...). */
    REFUSED,
    /** SQLite reported an error (syntax, unknown table, a write on the read-only connection, ...). */
    ERROR,
    /** It ran past its time limit and the watchdog cancelled it. */
    TIMEOUT
  }

  /**
   * A statement that gave no rows.
   *
   * @param failure what kind of failure
   * @param message what went wrong, as the agent may read it (SQLite's message without its code prefix)
   */
  record Failed(Failure failure, String message) implements QueryResult {
    public Failed {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(message, "message");
    }
  }
}
