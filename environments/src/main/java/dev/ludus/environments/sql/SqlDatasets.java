package dev.ludus.environments.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads Spider and BIRD datasets as a {@link SqlWorld}, from the files those benchmarks ship.
 *
 * <ul>
 *   <li>Spider: a question file (a JSON array of {@code {db_id, question, query, ...}}, e.g. {@code dev.json},
 *       {@code train_spider.json}), {@code tables.json} (its {@code db_id}s must cover the questions') and
 *       {@code database/{db_id}/{db_id}.sqlite}.
 *   <li>BIRD: a question file {@code <stem>.json} (an array of {@code {db_id, question, evidence, SQL, ...}};
 *       an {@code evidence} of {@code "False"} or null means none), {@code <stem>_tables.json} (optional) and
 *       {@code <stem>_databases/{db_id}/{db_id}.sqlite}.
 * </ul>
 *
 * <p>Any other {@code *.sqlite} file in a database's folder is one of its perturbed instances, as in
 * test-suite-sql-eval: answers must match the gold on each. The schema the agent reads is the database's
 * {@code CREATE TABLE} statements from {@code sqlite_master}. Gold results are computed when first needed. Every
 * problem with the files is a {@link ConfigException} naming the file and what is wrong. Stateless.
 */
final class SqlDatasets {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private SqlDatasets() {}

  /** Loads {@code questions} of the Spider dataset in {@code directory}. */
  static SqlWorld spider(Path directory, String questions) {
    Path file = directory.resolve(questions);
    Path tables = directory.resolve("tables.json");
    Set<String> known = tableIds(tables, true);
    List<RawQuestion> raw = questions(file, "query", false);
    return world(raw, known, tables, directory.resolve("database"), "spider", file);
  }

  /** Loads {@code questions} of the BIRD dataset in {@code directory}. */
  static SqlWorld bird(Path directory, String questions) {
    Path file = directory.resolve(questions);
    String stem = questions.endsWith(".json") ? questions.substring(0, questions.length() - 5) : questions;
    Path tables = directory.resolve(stem + "_tables.json");
    Set<String> known = tableIds(tables, false);
    List<RawQuestion> raw = questions(file, "SQL", true);
    return world(raw, known, tables, directory.resolve(stem + "_databases"), "bird", file);
  }

  private record RawQuestion(String id, String dbId, String question, String evidence, String sql) {}

  private static SqlWorld world(List<RawQuestion> raw, Set<String> known, Path tables, Path databaseRoot, String kind,
      Path file) {
    Map<String, SqlWorld.Database> databases = new LinkedHashMap<>();
    List<SqlWorld.Question> out = new ArrayList<>();
    for (RawQuestion q : raw) {
      if (known != null && !known.contains(q.dbId())) {
        throw new ConfigException("text-to-sql: " + file + ": question " + q.id() + " asks about database '" + q.dbId()
            + "', which " + tables.getFileName() + " does not describe");
      }
      databases.computeIfAbsent(q.dbId(), id -> database(databaseRoot, id));
      out.add(new SqlWorld.Question(out.size(), q.id(), q.dbId(), kind, q.question(), q.evidence(), q.sql(), List.of()));
    }
    if (out.isEmpty()) {
      throw new ConfigException("text-to-sql: " + file + " holds no questions");
    }
    return new SqlWorld(out, databases, null);
  }

  private static List<RawQuestion> questions(Path file, String sqlField, boolean bird) {
    JsonNode root = read(file, "question file");
    if (!root.isArray()) {
      throw new ConfigException("text-to-sql: " + file + " must hold a JSON array of questions, not a "
          + root.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
    List<RawQuestion> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode q = root.get(i);
      String dbId = text(q, "db_id", file, i);
      String question = text(q, "question", file, i);
      String sql = q.hasNonNull(sqlField) ? q.get(sqlField).asText() : q.hasNonNull("query") ? q.get("query").asText()
          : q.hasNonNull("SQL") ? q.get("SQL").asText() : null;
      if (sql == null || sql.isBlank()) {
        throw new ConfigException("text-to-sql: " + file + ": question " + i + " has no '" + sqlField + "' (the gold SQL)");
      }
      String evidence = "";
      if (bird && q.hasNonNull("evidence")) {
        String e = q.get("evidence").asText();
        evidence = e.equals("False") ? "" : e;
      }
      String id = q.hasNonNull("question_id") ? stem + "-" + q.get("question_id").asText() : stem + "-" + i;
      out.add(new RawQuestion(id, dbId, question, evidence, sql));
    }
    return out;
  }

  private static String text(JsonNode q, String field, Path file, int i) {
    if (!q.hasNonNull(field) || q.get(field).asText().isBlank()) {
      throw new ConfigException("text-to-sql: " + file + ": question " + i + " has no '" + field + "'");
    }
    return q.get(field).asText();
  }

  /** The {@code db_id}s a tables file describes; null when it is optional and absent. */
  private static Set<String> tableIds(Path tables, boolean required) {
    if (!Files.exists(tables)) {
      if (required) {
        throw new ConfigException("text-to-sql: " + tables + " does not exist; a Spider dataset holds tables.json");
      }
      return null;
    }
    JsonNode root = read(tables, "tables file");
    Set<String> ids = new HashSet<>();
    for (JsonNode t : root) {
      if (t.hasNonNull("db_id")) {
        ids.add(t.get("db_id").asText());
      }
    }
    return ids;
  }

  private static JsonNode read(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("text-to-sql: the " + what + " " + file + " does not exist");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("text-to-sql: the " + what + " " + file + " is not valid JSON: " + e.getMessage());
    }
  }

  /** A database's folder: {@code {db_id}.sqlite} first, then every other {@code *.sqlite} in name order. */
  static SqlWorld.Database database(Path root, String dbId) {
    Path folder = root.resolve(dbId);
    Path main = folder.resolve(dbId + ".sqlite");
    if (!Files.isRegularFile(main)) {
      throw new ConfigException("text-to-sql: database '" + dbId + "' has no file " + main);
    }
    List<Path> instances = new ArrayList<>();
    instances.add(main);
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(p -> p.getFileName().toString().endsWith(".sqlite") && !p.equals(main)).sorted()
          .forEach(instances::add);
    } catch (IOException e) {
      throw new ConfigException("text-to-sql: cannot list " + folder + ": " + e.getMessage());
    }
    return new SqlWorld.Database(dbId, instances, schema(main));
  }

  /** The {@code CREATE TABLE} statements of a database file, each ending with a semicolon. */
  static String schema(Path file) {
    try (Connection c = SqlSandbox.open(file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL "
            + "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")) {
      List<String> ddl = new ArrayList<>();
      while (rs.next()) {
        ddl.add(rs.getString(1).strip());
      }
      return String.join(";\n\n", ddl) + ";";
    } catch (SQLException e) {
      throw new ConfigException("text-to-sql: cannot read the schema of " + file + ": " + SqlSandbox.describe(e));
    }
  }
}
