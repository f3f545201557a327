package dev.ludus.environments.sql;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's first line: a lexical check that a query is one read-only statement, before SQLite sees it.
 * It reads keywords outside comments and quotes only; it does not parse SQL, so that every query SQLite
 * accepts and that reads only is let through (a parser of another dialect would refuse valid SQLite).
 * Whatever slips past it still meets the second line: a connection opened read-only, with
 * {@code PRAGMA query_only}, no attached databases allowed, and a cap on string and blob sizes.
 *
 * <p>Refused: more than one statement; every statement kind that is not a read (writes, DDL,
 * {@code ATTACH}/{@code DETACH}, {@code VACUUM}, transactions); any {@code PRAGMA} but the schema-reading ones
 * ({@code PRAGMA table_info(t)} and the like, never with {@code =}); empty text; text longer than
 * {@link #MAX_LENGTH} characters. The rest goes to SQLite, so that a misspelt query gets SQLite's own syntax error
 * back. Stateless.
 */
final class StatementGuard {
  /** The longest query text accepted, in characters. */
  static final int MAX_LENGTH = 20_000;

  /** Every SQLite statement that is not a read starts with one of these (or with PRAGMA). */
  private static final Set<String> WRITE = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER",
      "ATTACH", "DETACH", "VACUUM", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");
  private static final Set<String> READ_PRAGMAS = Set.of("TABLE_INFO", "TABLE_XINFO", "TABLE_LIST",
      "FOREIGN_KEY_LIST", "INDEX_LIST", "INDEX_INFO", "INDEX_XINFO");

  private StatementGuard() {}

  /** Why {@code sql} is refused, or empty when it may run. */
  static Optional<String> refusal(String sql) {
    if (sql == null || sql.isBlank()) {
      return Optional.of("empty query");
    }
    if (sql.length() > MAX_LENGTH) {
      return Optional.of("query of " + sql.length() + " characters; at most " + MAX_LENGTH + " are allowed");
    }
    String code = codeOnly(sql);
    int semicolon = code.indexOf(';');
    if (semicolon >= 0 && !code.substring(semicolon + 1).replace(";", " ").isBlank()) {
      return Optional.of("one statement at a time is allowed; remove everything after the first ';'");
    }
    String text = code.replace(';', ' ').strip();
    String first = firstWord(text);
    if (first.equals("PRAGMA")) {
      String rest = text.substring("PRAGMA".length()).strip();
      String name = firstWord(rest.replaceFirst("^[A-Za-z_][A-Za-z0-9_]*\\s*\\.\\s*", ""));
      if (READ_PRAGMAS.contains(name) && !rest.contains("=")) {
        return Optional.empty();
      }
      return Optional.of("PRAGMA " + (name.isEmpty() ? "" : name.toLowerCase(Locale.ROOT) + " ")
          + "is not allowed; only read-only queries run here (SELECT, WITH, VALUES, EXPLAIN, and PRAGMA "
          + "table_info(t), table_list, foreign_key_list(t), index_list(t), index_info(i))");
    }
    if (WRITE.contains(first)) {
      return Optional.of(first + " statements are not allowed; only read-only queries run here (SELECT, WITH, VALUES, "
          + "EXPLAIN, PRAGMA table_info(t))");
    }
    return Optional.empty(); // a read, or not SQL at all: SQLite says which
  }

  /** The first keyword of {@code text}, upper-cased; empty when it does not start with a word. */
  private static String firstWord(String text) {
    int i = 0;
    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i++;
    }
    return text.substring(0, i).toUpperCase(Locale.ROOT);
  }

  /**
   * {@code sql} with comments removed and the insides of quoted strings and identifiers ('…', "…", `…`,
   * […]) blanked out, so that only code is left to read. An unclosed quote or comment runs to the end.
   */
  static String codeOnly(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        out.append(' ');
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == close) {
            if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
              j += 2; // a doubled quote inside
              continue;
            }
            break;
          }
          j++;
        }
        out.append(c).append(' ').append(close);
        i = Math.min(n, j + 1);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
