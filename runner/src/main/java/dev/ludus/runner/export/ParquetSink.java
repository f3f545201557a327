package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parquet through DuckDB: rows are streamed as JSON lines into a temporary file beside the output, and on close
 * DuckDB's {@code COPY (SELECT ... FROM read_json(...)) TO ... (FORMAT PARQUET)} turns them into Parquet with the
 * column types {@link ParquetColumns} pins (standard nested LIST/STRUCT columns; nothing is inferred from the data
 * but the structure of free-form JSON such as tool parameter schemas). DuckDB reads the file in a stream, so
 * neither side holds the run. Not thread-safe.
 */
final class ParquetSink implements RowSink {
  private final Path out;
  private final Path rowsFile;
  private final Map<String, String> columns;
  private final JsonlSink rows;

  ParquetSink(Path out, Map<String, String> columns) {
    this.out = out;
    this.columns = columns;
    this.rowsFile = out.resolveSibling(out.getFileName() + ".rows.jsonl");
    this.rows = new JsonlSink(rowsFile);
  }

  @Override
  public void accept(ObjectNode row) {
    rows.accept(row);
  }

  @Override
  public long rows() {
    return rows.rows();
  }

  @Override
  public void abort() {
    rows.abort();
  }

  @Override
  public void close() {
    rows.close();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      String source = "read_json(" + literal(rowsFile.toAbsolutePath().toString())
          + ", format='newline_delimited', maximum_object_size=1073741824, columns={"
          + columns.entrySet().stream().map(e -> literal(e.getKey()) + ": "
              + literal(ParquetColumns.isInferred(e.getValue()) ? "JSON" : e.getValue()))
              .collect(Collectors.joining(", ")) + "})";
      StringBuilder select = new StringBuilder();
      for (Map.Entry<String, String> col : columns.entrySet()) {
        if (select.length() > 0) {
          select.append(", ");
        }
        String name = identifier(col.getKey());
        if (ParquetColumns.isInferred(col.getValue())) {
          select.append("from_json(").append(name).append(", ").append(literal(structure(s, source, name)))
              .append(") AS ").append(name);
        } else {
          select.append(name);
        }
      }
      s.execute("COPY (SELECT " + select + " FROM " + source + ") TO " + literal(out.toAbsolutePath().toString())
          + " (FORMAT PARQUET, COMPRESSION ZSTD)");
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not write " + out + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(rowsFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + rowsFile, e);
      }
    }
  }

  /**
   * The one structure every row's free-form JSON column fits (DuckDB unions them); when no row holds an object (no
   * tools anywhere), {@link ParquetColumns#WHEN_EMPTY}, so the column is still a list of tool specs.
   */
  private static String structure(Statement s, String source, String column) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT json_group_structure(" + column + ") FROM " + source)) {
      String st = r.next() ? r.getString(1) : null;
      return st == null || !st.contains("{") ? ParquetColumns.WHEN_EMPTY : st;
    }
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String identifier(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
