package dev.ludus.environments.sql;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.DatasetWriter.WrittenFile;
import dev.ludus.environments.sql.DomainSpec.ColumnSpec;
import dev.ludus.environments.sql.DomainSpec.Kind;
import dev.ludus.environments.sql.DomainSpec.TableSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes generated questions and their databases in Spider's layout, and in BIRD's where it differs, so that
 * Python tools read them as they read the benchmarks (and {@link SqlDatasets} reads them back):
 *
 * <pre>
 * DIR/tables.json                      Spider's schema file
 * DIR/train_spider.json                Spider questions: db_id, query, query_toks, query_toks_no_value, question, question_toks
 * DIR/train_gold.sql                   query TAB db_id, one per line (Spider's evaluation gold file)
 * DIR/database/{db_id}/{db_id}.sqlite  the database; {db_id}_perturbed_{k}.sqlite beside it (test-suite instances)
 * DIR/bird/train.json                  BIRD questions: question_id, db_id, question, evidence, SQL, difficulty
 * DIR/bird/train_tables.json           the same schema file
 * DIR/bird/train_gold.sql              SQL TAB db_id
 * DIR/bird/train_databases/{db_id}/    the same database files, with database_description/{table}.csv
 * </pre>
 *
 * Spider's parsed {@code sql} tree is left out: Spider's evaluation parses the query text itself. Stateless;
 * the same world and questions give byte-identical files.
 */
final class DatasetFiles {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** As Python's {@code json.dump(..., indent=4)} writes, the way Spider's and BIRD's files are written. */
  private static final ObjectWriter PRETTY = JSON.writer(
      new DefaultPrettyPrinter(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("    ", "\n"))
          .withArrayIndenter(new DefaultIndenter("    ", "\n")));
  private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);

  private DatasetFiles() {}

  /** Writes {@code questions} of {@code world} into {@code dir}, whose {@code database/} the world was built in. */
  static List<WrittenFile> write(SqlWorld world, List<SqlWorld.Question> questions, Path dir) throws IOException {
    List<WrittenFile> out = new ArrayList<>();
    ArrayNode tables = JSON.createArrayNode();
    for (SqlWorld.Database db : world.databases().values()) {
      tables.add(tablesEntry(db.id(), domainOf(db.id())));
    }
    out.add(json(dir.resolve("tables.json"), tables, "spider-tables", "Spider schema file, one entry per database"));
    ArrayNode spider = JSON.createArrayNode();
    StringBuilder spiderGold = new StringBuilder();
    ArrayNode bird = JSON.createArrayNode();
    StringBuilder birdGold = new StringBuilder();
    for (int i = 0; i < questions.size(); i++) {
      SqlWorld.Question q = questions.get(i);
      ObjectNode s = spider.addObject();
      s.put("db_id", q.dbId());
      s.put("query", q.sql());
      List<String> toks = ReasoningSql.tokensAsWritten(q.sql());
      s.set("query_toks", strings(toks));
      s.set("query_toks_no_value", strings(toks.stream().map(DatasetFiles::noValue).toList()));
      s.put("question", q.question());
      s.set("question_toks", strings(words(q.question())));
      spiderGold.append(q.sql()).append('\t').append(q.dbId()).append('\n');
      ObjectNode b = bird.addObject();
      b.put("question_id", i);
      b.put("db_id", q.dbId());
      b.put("question", q.question());
      b.put("evidence", q.evidence());
      b.put("SQL", q.sql());
      b.put("difficulty", difficulty(q.kind()));
      birdGold.append(q.sql()).append('\t').append(q.dbId()).append('\n');
    }
    out.add(json(dir.resolve("train_spider.json"), spider, "spider", questions.size() + " Spider questions"));
    out.add(text(dir.resolve("train_gold.sql"), spiderGold.toString(), "spider-gold", "query TAB db_id per line"));
    out.add(new WrittenFile(dir.resolve("database"), "sqlite",
        world.databases().size() + " databases, database/{db_id}/{db_id}.sqlite with perturbed copies beside it"));
    Path birdDir = Files.createDirectories(dir.resolve("bird"));
    out.add(json(birdDir.resolve("train.json"), bird, "bird", questions.size() + " BIRD questions with evidence"));
    out.add(json(birdDir.resolve("train_tables.json"), tables, "bird-tables", "BIRD schema file"));
    out.add(text(birdDir.resolve("train_gold.sql"), birdGold.toString(), "bird-gold", "SQL TAB db_id per line"));
    Path birdDatabases = birdDir.resolve("train_databases");
    for (SqlWorld.Database db : world.databases().values()) {
      Path folder = Files.createDirectories(birdDatabases.resolve(db.id()));
      for (Path instance : db.instances()) {
        Files.copy(instance, folder.resolve(instance.getFileName()));
      }
      Path descriptions = Files.createDirectories(folder.resolve("database_description"));
      for (TableSpec t : domainOf(db.id()).tables()) {
        Files.writeString(descriptions.resolve(t.name() + ".csv"), describe(domainOf(db.id()), t), StandardCharsets.UTF_8);
      }
    }
    out.add(new WrittenFile(birdDatabases, "bird-databases",
        "train_databases/{db_id}/{db_id}.sqlite with database_description/{table}.csv"));
    return out;
  }

  static DomainSpec domainOf(String dbId) {
    DomainSpec d = Domains.BY_NAME.get(dbId.substring(0, dbId.lastIndexOf('_')));
    if (d == null) {
      throw new IllegalArgumentException("database " + dbId + " was not generated from a domain template");
    }
    return d;
  }

  /** Spider's {@code tables.json} entry of a generated database. */
  static ObjectNode tablesEntry(String dbId, DomainSpec domain) {
    ObjectNode e = JSON.createObjectNode();
    e.put("db_id", dbId);
    ArrayNode originals = e.putArray("table_names_original");
    ArrayNode names = e.putArray("table_names");
    ArrayNode columnOriginals = e.putArray("column_names_original");
    ArrayNode columnNames = e.putArray("column_names");
    ArrayNode types = e.putArray("column_types");
    ArrayNode primaryKeys = e.putArray("primary_keys");
    ArrayNode foreignKeys = e.putArray("foreign_keys");
    columnOriginals.addArray().add(-1).add("*");
    columnNames.addArray().add(-1).add("*");
    types.add("text");
    List<Integer> firstColumn = new ArrayList<>();
    int index = 1;
    for (int t = 0; t < domain.tables().size(); t++) {
      TableSpec table = domain.tables().get(t);
      originals.add(table.name());
      names.add(natural(table.name()));
      firstColumn.add(index);
      for (ColumnSpec c : table.columns()) {
        columnOriginals.addArray().add(t).add(c.name());
        columnNames.addArray().add(t).add(natural(c.name()));
        types.add(switch (c.kind()) {
          case ID, INTEGER, REAL, REFERENCE -> "number";
          case NAME, CATEGORY -> "text";
          case DATE -> "time";
        });
        if (c.kind() == Kind.ID) {
          primaryKeys.add(index);
        }
        index++;
      }
    }
    for (int t = 0; t < domain.tables().size(); t++) {
      TableSpec table = domain.tables().get(t);
      for (ColumnSpec c : table.of(Kind.REFERENCE)) {
        int parent = domain.tables().indexOf(domain.table(c.references()));
        foreignKeys.addArray().add(firstColumn.get(t) + table.index(c)).add(firstColumn.get(parent));
      }
    }
    return e;
  }

  /** BIRD's {@code database_description/{table}.csv} of a generated table. */
  static String describe(DomainSpec domain, TableSpec t) {
    StringBuilder csv = new StringBuilder("original_column_name,column_name,column_description,data_format,value_description\n");
    for (ColumnSpec c : t.columns()) {
      String description = switch (c.kind()) {
        case ID -> "id of the " + t.singular();
        case NAME -> "name of the " + t.singular();
        case REFERENCE -> "id of the " + c.phrase();
        default -> c.phrase() + " of the " + t.singular();
      };
      String format = switch (c.kind()) {
        case ID, INTEGER, REFERENCE -> "integer";
        case REAL -> "real";
        case NAME, CATEGORY -> "text";
        case DATE -> "date";
      };
      StringJoiner values = new StringJoiner("; ");
      if (c.kind() == Kind.CATEGORY) {
        values.add("one of " + String.join(", ", c.values()));
      }
      if (c.kind() == Kind.DATE) {
        values.add("text in the form YYYY-MM-DD");
      }
      if (c.kind() == Kind.REFERENCE) {
        values.add("refers to " + c.references() + "." + domain.table(c.references()).id().name());
      }
      if (c.nullRate() > 0) {
        values.add("NULL when unknown");
      }
      csv.append(cell(c.name())).append(',').append(cell(natural(c.name()))).append(',').append(cell(description))
          .append(',').append(format).append(',').append(cell(values.toString())).append('\n');
    }
    return csv.toString();
  }

  private static String cell(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String natural(String name) {
    return name.replace('_', ' ').toLowerCase(Locale.ROOT);
  }

  private static String difficulty(String kind) {
    return switch (kind) {
      case "filter", "date" -> "simple";
      case "join", "order-limit", "group-having" -> "moderate";
      default -> "challenging";
    };
  }

  private static String noValue(String token) {
    return token.startsWith("'") || Character.isDigit(token.charAt(0)) ? "value" : token;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static ArrayNode strings(List<String> items) {
    ArrayNode a = JSON.createArrayNode();
    items.forEach(a::add);
    return a;
  }

  private static WrittenFile json(Path file, Object tree, String format, String description) throws IOException {
    Files.writeString(file, PRETTY.writeValueAsString(tree) + "\n", StandardCharsets.UTF_8);
    return new WrittenFile(file, format, description);
  }

  private static WrittenFile text(Path file, String content, String format, String description) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return new WrittenFile(file, format, description);
  }
}
