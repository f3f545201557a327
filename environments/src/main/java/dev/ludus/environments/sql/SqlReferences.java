package dev.ludus.environments.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The tables and columns a query references, read with a real SQL parser (JSqlParser), as Reasoning-SQL reads
 * them with sqlglot for its schema-linking reward: table names ({@code Table.name}) and column names
 * ({@code Column.alias_or_name}, i.e. the column's own name, unqualified). Names are unquoted and lower-cased
 * (SQLite's identifiers are case-insensitive; sqlglot keeps the case as written). A query JSqlParser cannot
 * parse (a few SQLite forms, e.g. {@code GLOB}) has no references, and scores 0 as a sqlglot parse error does.
 *
 * @param tables the tables (common table expressions are not tables)
 * @param columns the columns, including output aliases referred to later (as sqlglot counts them)
 */
record SqlReferences(Set<String> tables, Set<String> columns) {
  /** How long a parse may take before it counts as unparseable. */
  static final long PARSE_TIME_LIMIT_MILLIS = 2_000;

  SqlReferences {
    tables = Set.copyOf(tables);
    columns = Set.copyOf(columns);
  }

  /** The references of {@code sql}, parsed on {@code executor} under a time limit; empty when it does not parse. */
  static Optional<SqlReferences> of(String sql, ExecutorService executor) {
    if (sql == null || sql.isBlank() || sql.length() > StatementGuard.MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      Statement statement = CCJSqlParserUtil.parse(sql, executor, p -> p.withTimeOut(PARSE_TIME_LIMIT_MILLIS));
      if (statement == null) {
        return Optional.empty();
      }
      Finder finder = new Finder();
      Set<String> tables = new TreeSet<>();
      finder.getTables(statement).forEach(t -> tables.add(name(t)));
      return Optional.of(new SqlReferences(tables, finder.columns));
    } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /** Tables and columns in one set, as Reasoning-SQL's scorer gathers them. */
  Set<String> names() {
    Set<String> all = new TreeSet<>(tables);
    all.addAll(columns);
    return all;
  }

  List<String> sortedTables() {
    return List.copyOf(new TreeSet<>(tables));
  }

  List<String> sortedColumns() {
    return List.copyOf(new TreeSet<>(columns));
  }

  /** An identifier without its quotes ({@code "…"}, {@code `…`}, {@code […]}) and schema prefix, lower-cased. */
  static String name(String identifier) {
    String s = identifier.strip();
    int dot = lastDotOutsideQuotes(s);
    if (dot >= 0) {
      s = s.substring(dot + 1);
    }
    if (s.length() >= 2) {
      char a = s.charAt(0);
      char b = s.charAt(s.length() - 1);
      if ((a == '"' && b == '"') || (a == '`' && b == '`') || (a == '[' && b == ']')) {
        s = s.substring(1, s.length() - 1);
      }
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static int lastDotOutsideQuotes(String s) {
    char quote = 0;
    int last = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '[') {
        quote = ']';
      } else if (c == '.') {
        last = i;
      }
    }
    return last;
  }

  /** JSqlParser's table finder, which also walks GROUP BY and ORDER BY and keeps the columns it meets. */
  private static final class Finder extends TablesNamesFinder<Void> {
    final Set<String> columns = new TreeSet<>();

    @Override
    public <S> Void visit(Column column, S context) {
      columns.add(name(column.getColumnName()));
      return super.visit(column, context);
    }

    @Override
    public <S> Void visit(PlainSelect select, S context) {
      super.visit(select, context);
      GroupByElement groupBy = select.getGroupBy();
      if (groupBy != null && groupBy.getGroupByExpressionList() != null) {
        for (Object e : groupBy.getGroupByExpressionList()) {
          ((Expression) e).accept(this, context);
        }
      }
      orderBy(select.getOrderByElements(), context);
      return null;
    }

    @Override
    public <S> Void visit(SetOperationList list, S context) {
      super.visit(list, context);
      orderBy(list.getOrderByElements(), context);
      return null;
    }

    private <S> void orderBy(List<OrderByElement> elements, S context) {
      if (elements != null) {
        elements.forEach(o -> o.getExpression().accept(this, context));
      }
    }
  }
}
