package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The export tests' shared fixtures: real runs made through the CLI, and readers of what an export wrote. */
final class ExportReadBack {
  private ExportReadBack() {}

  /** Runs {@code ludus rollout ARGS --out DIR --no-progress} and returns the run directory it made. */
  static Path rollout(Path parent, String... args) {
    Path out = parent.resolve("runs-" + System.nanoTime());
    List<String> all = new ArrayList<>(List.of("rollout"));
    all.addAll(List.of(args));
    all.addAll(List.of("--out", out.toString(), "--no-progress"));
    int code = Ludus.run(all.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("rollout " + all + " exited with " + code);
    }
    try (Stream<Path> runs = Files.list(out)) {
      return runs.findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row of a Parquet file read back by DuckDB, each column as JSON (nested values included). */
  static List<JsonNode> parquet(Path file) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      List<String> columns = new ArrayList<>();
      try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
        while (r.next()) {
          columns.add(r.getString(1));
        }
      }
      String select = String.join(", ", columns.stream().map(n -> "to_json(\"" + n + "\") AS \"" + n + "\"").toList());
      List<JsonNode> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT " + select + " FROM read_parquet('" + file + "')")) {
        ResultSetMetaData md = r.getMetaData();
        while (r.next()) {
          var row = Json.JSON.createObjectNode();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String v = r.getString(i);
            row.set(md.getColumnLabel(i), v == null ? Json.JSON.nullNode() : Json.JSON.readTree(v));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The Parquet file's column names and DuckDB types, as {@code name type} lines. */
  static List<String> parquetSchema(Path file) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getString(2));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every line of a JSON Lines file, parsed by Jackson. */
  static List<JsonNode> jsonl(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> !l.isBlank()).map(l -> {
        try {
          return Json.JSON.readTree(l);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The per-turn rewards computed here from the ledger, independently of the exporter. */
  static double[] ledgerPerTurn(Episode e) {
    double[] r = new double[e.turns().size()];
    if (e.ledger().isEmpty()) {
      for (int i = 0; i < r.length; i++) {
        r[i] = e.turns().get(i).reward();
      }
    }
    e.ledger().forEach(l -> r[l.turn()] += l.value());
    return r;
  }

  static double sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }

  static double sum(JsonNode array) {
    double s = 0;
    for (JsonNode x : array) {
      s += x.asDouble();
    }
    return s;
  }
}
