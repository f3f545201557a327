package dev.ludus.environments.sql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain template: the tables of one kind of database (schools, retail, ...), what kind of value each column
 * holds and how people name it, from which {@link DatabaseGenerator} makes databases and
 * {@link QuestionTemplates} asks questions. Immutable.
 *
 * @param name the domain's name, the prefix of its databases' ids
 * @param tables its tables, parents before children (a table references only tables before it)
 */
record DomainSpec(String name, List<TableSpec> tables) {
  DomainSpec {
    tables = List.copyOf(tables);
  }

  TableSpec table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("domain " + this.name + " has no table " + name));
  }

  /** What a column holds. */
  enum Kind {
    /** The integer primary key, 1 to n. */
    ID,
    /** A unique display name (people, schools, products). */
    NAME,
    /** A small vocabulary, skewed. */
    CATEGORY,
    INTEGER,
    REAL,
    /** A date stored as text, {@code YYYY-MM-DD}. */
    DATE,
    /** A foreign key to another table's id. */
    REFERENCE
  }

  /**
   * One column.
   *
   * @param name the column's name in SQL (quoted where it holds spaces or brackets)
   * @param kind what it holds
   * @param phrase how a question names it ("city", "unit price", for a reference "origin airport")
   * @param values a category's vocabulary; a name's first parts (the second parts in {@code suffixes})
   * @param suffixes a name's second parts
   * @param low the smallest number, or the first year of a date
   * @param high the largest number, or the last year of a date
   * @param nullRate the share of rows where the value is NULL
   * @param references the table a reference points to
   * @param relation how the referenced table names the rows that point to it ("teachers", "departing flights")
   */
  record ColumnSpec(String name, Kind kind, String phrase, List<String> values, List<String> suffixes, double low,
      double high, double nullRate, String references, String relation) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    ColumnSpec {
      Objects.requireNonNull(name, "name");
      values = values == null ? List.of() : List.copyOf(values);
      suffixes = suffixes == null ? List.of() : List.copyOf(suffixes);
    }

    static ColumnSpec id(String name) {
      return new ColumnSpec(name, Kind.ID, "id", null, null, 0, 0, 0, null, null);
    }

    static ColumnSpec name(String name, List<String> first, List<String> second) {
      return new ColumnSpec(name, Kind.NAME, "name", first, second, 0, 0, 0, null, null);
    }

    static ColumnSpec category(String name, String phrase, double nullRate, String... values) {
      return new ColumnSpec(name, Kind.CATEGORY, phrase, List.of(values), null, 0, 0, nullRate, null, null);
    }

    static ColumnSpec integer(String name, String phrase, int low, int high, double nullRate) {
      return new ColumnSpec(name, Kind.INTEGER, phrase, null, null, low, high, nullRate, null, null);
    }

    static ColumnSpec real(String name, String phrase, double low, double high, double nullRate) {
      return new ColumnSpec(name, Kind.REAL, phrase, null, null, low, high, nullRate, null, null);
    }

    static ColumnSpec date(String name, String phrase, int fromYear, int toYear) {
      return new ColumnSpec(name, Kind.DATE, phrase, null, null, fromYear, toYear, 0, null, null);
    }

    static ColumnSpec reference(String name, String table, String phrase, String relation) {
      return new ColumnSpec(name, Kind.REFERENCE, phrase, null, null, 0, 0, 0, table, relation);
    }

    boolean numeric() {
      return kind == Kind.INTEGER || kind == Kind.REAL;
    }

    /** The name as SQL must write it in a query: plain, or in backticks as BIRD writes it. */
    String sql() {
      return PLAIN.matcher(name).matches() ? name : "`" + name + "`";
    }

    /** The name as the schema's DDL writes it: plain, or in double quotes. */
    String ddl() {
      return PLAIN.matcher(name).matches() ? name : "\"" + name + "\"";
    }
  }

  /** A ratio a question may ask for: {@code SUM(numerator) / SUM(denominator)}, named {@code phrase}. */
  record Ratio(String numerator, String denominator, String phrase) {}

  /**
   * One table.
   *
   * @param name its name in SQL
   * @param singular how a question names one row ("school")
   * @param plural how a question names several ("schools")
   * @param columns its columns, the id first
   * @param minRows the fewest rows an instance holds
   * @param maxRows the most
   * @param ratio a ratio of two of its columns that questions may ask for, or null
   */
  record TableSpec(String name, String singular, String plural, List<ColumnSpec> columns, int minRows, int maxRows,
      Ratio ratio) {
    TableSpec {
      columns = List.copyOf(columns);
      if (columns.isEmpty() || columns.get(0).kind() != Kind.ID) {
        throw new IllegalArgumentException("table " + name + " must start with its id column");
      }
    }

    ColumnSpec id() {
      return columns.get(0);
    }

    ColumnSpec column(String name) {
      return columns.stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("table " + this.name + " has no column " + name));
    }

    int index(ColumnSpec column) {
      return columns.indexOf(column);
    }

    /** The column a question lists the rows by: the name, or else the id. */
    ColumnSpec label() {
      return nameColumn().orElse(id());
    }

    Optional<ColumnSpec> nameColumn() {
      return columns.stream().filter(c -> c.kind() == Kind.NAME).findFirst();
    }

    /** The label's phrase in the plural: "names", or "order ids". */
    String labelPlural() {
      return label().kind() == Kind.NAME ? "names" : singular + " ids";
    }

    /** The label's phrase for one row: "name", or "order id". */
    String labelSingular() {
      return label().kind() == Kind.NAME ? "name" : singular + " id";
    }

    List<ColumnSpec> of(Kind kind) {
      return columns.stream().filter(c -> c.kind() == kind).toList();
    }

    List<ColumnSpec> numbers() {
      return columns.stream().filter(ColumnSpec::numeric).toList();
    }
  }
}
