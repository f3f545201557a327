package dev.ludus.environments.sql;

import dev.ludus.api.Seeds;
import dev.ludus.environments.sql.DomainSpec.ColumnSpec;
import dev.ludus.environments.sql.DomainSpec.Kind;
import dev.ludus.environments.sql.DomainSpec.TableSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Makes the data of one database instance from a domain template and a seed, and writes it as a SQLite file.
 * Perturbed instances of a database are the same template with other seeds: the same schema and vocabularies,
 * other rows, row counts, skews and NULLs, so that a query that matches the gold on every instance is
 * unlikely to match it by accident (test-suite accuracy). Stateless; the same template and seed give the same
 * rows and the same file bytes.
 */
final class DatabaseGenerator {
  private DatabaseGenerator() {}

  /** The rows of one instance: per table (in template order), its rows, values in column order. */
  record Instance(Map<String, List<Object[]>> rows) {
    List<Object[]> of(String table) {
      return rows.get(table);
    }
  }

  /** The rows of {@code domain} for {@code seed}. */
  static Instance generate(DomainSpec domain, long seed) {
    Map<String, List<Object[]>> all = new LinkedHashMap<>();
    for (int t = 0; t < domain.tables().size(); t++) {
      TableSpec table = domain.tables().get(t);
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, t));
      int n = table.minRows() + rng.nextInt(table.maxRows() - table.minRows() + 1);
      List<Object[]> rows = new ArrayList<>(n);
      Map<ColumnSpec, List<String>> orders = new LinkedHashMap<>();
      for (ColumnSpec c : table.columns()) {
        if (c.kind() == Kind.CATEGORY) {
          List<String> order = new ArrayList<>(c.values());
          Collections.shuffle(order, new java.util.Random(rng.nextLong())); // the skew's order differs per instance
          orders.put(c, order);
        }
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < n; i++) {
        Object[] row = new Object[table.columns().size()];
        for (int k = 0; k < row.length; k++) {
          ColumnSpec c = table.columns().get(k);
          row[k] = value(c, i, rng, orders.get(c), names, all);
        }
        rows.add(row);
      }
      all.put(table.name(), Collections.unmodifiableList(rows));
    }
    return new Instance(Collections.unmodifiableMap(all));
  }

  private static Object value(ColumnSpec c, int i, SplittableRandom rng, List<String> order, Set<String> names,
      Map<String, List<Object[]>> earlier) {
    if (c.kind() == Kind.ID) {
      return (long) (i + 1);
    }
    if (c.nullRate() > 0 && rng.nextDouble() < c.nullRate()) {
      return null;
    }
    return switch (c.kind()) {
      case NAME -> uniqueName(c, rng, names);
      case CATEGORY -> order.get(skewed(rng, order.size()));
      case INTEGER -> (long) c.low() + rng.nextLong((long) c.high() - (long) c.low() + 1);
      case REAL -> Math.round((c.low() + rng.nextDouble() * (c.high() - c.low())) * 100) / 100.0;
      case DATE -> {
        LocalDate from = LocalDate.of((int) c.low(), 1, 1);
        LocalDate to = LocalDate.of((int) c.high(), 12, 31);
        yield from.plusDays(rng.nextLong(to.toEpochDay() - from.toEpochDay() + 1)).toString();
      }
      case REFERENCE -> {
        int parents = earlier.get(c.references()).size();
        yield (long) (1 + Math.min(parents - 1, (int) Math.floor(parents * Math.pow(rng.nextDouble(), 1.6))));
      }
      case ID -> throw new IllegalStateException("unreachable");
    };
  }

  /** Index {@code i} of {@code n} with weight 1/(i+1): a few values are common, the rest rare. */
  private static int skewed(SplittableRandom rng, int n) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += 1.0 / (i + 1);
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      u -= 1.0 / (i + 1);
      if (u < 0) {
        return i;
      }
    }
    return n - 1;
  }

  private static String uniqueName(ColumnSpec c, SplittableRandom rng, Set<String> taken) {
    for (int attempt = 0; attempt < 40; attempt++) {
      String name = c.values().get(rng.nextInt(c.values().size())) + " " + c.suffixes().get(rng.nextInt(c.suffixes().size()));
      if (taken.add(name)) {
        return name;
      }
    }
    String base = c.values().get(rng.nextInt(c.values().size())) + " " + c.suffixes().get(rng.nextInt(c.suffixes().size()));
    for (int k = 2; ; k++) {
      if (taken.add(base + " " + k)) {
        return base + " " + k;
      }
    }
  }

  /** The {@code CREATE TABLE} statements of {@code domain}, as the file holds them and the agent reads them. */
  static List<String> ddl(DomainSpec domain) {
    List<String> out = new ArrayList<>();
    for (TableSpec t : domain.tables()) {
      StringJoiner body = new StringJoiner(",\n  ", "CREATE TABLE " + t.name() + " (\n  ", "\n)");
      for (ColumnSpec c : t.columns()) {
        body.add(c.ddl() + " " + switch (c.kind()) {
          case ID -> "INTEGER PRIMARY KEY";
          case NAME -> "TEXT NOT NULL";
          case CATEGORY, DATE -> "TEXT";
          case INTEGER -> "INTEGER";
          case REAL -> "REAL";
          case REFERENCE -> "INTEGER NOT NULL";
        });
      }
      for (ColumnSpec c : t.of(Kind.REFERENCE)) {
        TableSpec parent = domain.table(c.references());
        body.add("FOREIGN KEY (" + c.ddl() + ") REFERENCES " + parent.name() + " (" + parent.id().ddl() + ")");
      }
      out.add(body.toString());
    }
    return out;
  }

  /** Writes {@code data} of {@code domain} into a new SQLite file at {@code file}. */
  static void write(DomainSpec domain, Instance data, Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode = OFF");
        s.execute("PRAGMA synchronous = OFF");
        for (String create : ddl(domain)) {
          s.execute(create);
        }
      }
      c.setAutoCommit(false);
      for (TableSpec t : domain.tables()) {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        t.columns().forEach(col -> {
          columns.add(col.ddl());
          marks.add("?");
        });
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO " + t.name() + " (" + columns + ") VALUES (" + marks + ")")) {
          for (Object[] row : data.of(t.name())) {
            for (int k = 0; k < row.length; k++) {
              insert.setObject(k + 1, row[k]);
            }
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      c.commit();
    }
  }
}
