package dev.ludus.environments.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The databases and questions an environment plays: generated from the domain templates ({@link GeneratedWorld})
 * or loaded from Spider or BIRD files ({@link SqlDatasets}). Built once per run and shared by every episode
 * ({@code PluginContext.shared}); closing it deletes the directory it generated, if any. Thread-safe.
 */
final class SqlWorld implements AutoCloseable {
  /**
   * A database: its id, its instance files (the first is the one the agent explores, the others its perturbed
   * copies, on which the answer must match too) and its schema as the agent reads it.
   */
  record Database(String id, List<Path> instances, String schema) {
    Database {
      instances = List.copyOf(instances);
      if (instances.isEmpty()) {
        throw new IllegalArgumentException("database " + id + " has no instance file");
      }
    }
  }

  /**
   * A question.
   *
   * @param index its place in the world's list
   * @param id a stable id ({@code schools_1-filter-0}, or the file's question id)
   * @param dbId the database it is asked about
   * @param kind the template kind, or {@code spider}/{@code bird} when loaded
   * @param question the question in words
   * @param evidence BIRD's external knowledge, or empty
   * @param sql the gold query
   * @param gold the gold rows on each instance, when known in advance (generated); empty when they are computed
   *     on first use (loaded)
   */
  record Question(int index, String id, String dbId, String kind, String question, String evidence, String sql,
      List<QueryResult.Rows> gold) {
    Question {
      Objects.requireNonNull(sql, "sql");
      evidence = evidence == null ? "" : evidence;
      gold = List.copyOf(gold);
    }
  }

  private final List<Question> questions;
  private final Map<TextToSqlConfig.Split, List<Question>> splits;
  private final Map<String, Database> databases;
  private final Path owned;
  private final Map<Integer, List<QueryResult.Rows>> computedGold = new ConcurrentHashMap<>();
  private final Map<Integer, Optional<SqlReferences>> goldReferences = new ConcurrentHashMap<>();

  /**
   * @param owned a directory this world made and deletes when it closes, or null
   */
  SqlWorld(List<Question> questions, Map<String, Database> databases, Path owned) {
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("a text-to-sql world needs at least one question");
    }
    this.questions = List.copyOf(questions);
    this.splits = splits(this.questions);
    this.databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases)); // in order: files list them so
    this.owned = owned;
    for (Question q : questions) {
      if (!databases.containsKey(q.dbId())) {
        throw new IllegalArgumentException("question " + q.id() + " asks about database '" + q.dbId()
            + "', which the world does not have");
      }
    }
  }

  List<Question> questions() {
    return questions;
  }

  /** The question a task plays: the task seed modulo the number of questions. */
  Question question(long taskSeed) {
    return question(taskSeed, TextToSqlConfig.Split.ALL);
  }

  /**
   * The question a task of {@code split} plays: the task seed modulo the number of the split's questions.
   *
   * @throws IllegalArgumentException when the split has no question, naming it and what would give it some
   */
  Question question(long taskSeed, TextToSqlConfig.Split split) {
    List<Question> in = split(split);
    if (in.isEmpty()) {
      throw new IllegalArgumentException("split " + split + " has no question: of a database's questions of one kind "
          + "the " + TextToSqlConfig.DEV_EVERY + "th, " + 2 * TextToSqlConfig.DEV_EVERY + "th, ... are dev, the "
          + (TextToSqlConfig.DEV_EVERY - 1) + "th, " + (2 * TextToSqlConfig.DEV_EVERY - 1) + "th, ... validation, the "
          + "others train (the world has " + questions.size() + " questions); raise questionsPerKind to at least "
          + TextToSqlConfig.DEV_EVERY + " or use split all");
    }
    return in.get((int) Math.floorMod(taskSeed, (long) in.size()));
  }

  /**
   * The questions of {@code split}, in world order; {@code train}, {@code validation} and {@code dev} are disjoint and
   * make up all.
   */
  List<Question> split(TextToSqlConfig.Split split) {
    return splits.get(split);
  }

  /**
   * Of each database's questions of one kind, in world order, every {@code DEV_EVERY}th is dev, the one before it
   * validation, the others train.
   */
  private static Map<TextToSqlConfig.Split, List<Question>> splits(List<Question> questions) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    List<Question> train = new ArrayList<>();
    List<Question> validation = new ArrayList<>();
    List<Question> dev = new ArrayList<>();
    for (Question q : questions) {
      int n = seen.merge(q.dbId() + "\u0000" + q.kind(), 1, Integer::sum) % TextToSqlConfig.DEV_EVERY;
      (n == 0 ? dev : n == TextToSqlConfig.DEV_EVERY - 1 ? validation : train).add(q);
    }
    Map<TextToSqlConfig.Split, List<Question>> out = new java.util.EnumMap<>(TextToSqlConfig.Split.class);
    out.put(TextToSqlConfig.Split.ALL, questions);
    out.put(TextToSqlConfig.Split.TRAIN, List.copyOf(train));
    out.put(TextToSqlConfig.Split.VALIDATION, List.copyOf(validation));
    out.put(TextToSqlConfig.Split.DEV, List.copyOf(dev));
    return out;
  }

  Database database(String id) {
    return databases.get(id);
  }

  Map<String, Database> databases() {
    return databases;
  }

  /**
   * The gold rows of {@code q} on each instance of its database: as generated, or computed on the calling
   * thread (which may block) with {@code sandbox} on first use and kept.
   *
   * @throws IllegalStateException naming the question when the gold query does not run on an instance
   */
  List<QueryResult.Rows> gold(Question q, SqlSandbox sandbox, SqlSandbox.Limits limits) {
    if (!q.gold().isEmpty()) {
      return q.gold();
    }
    List<QueryResult.Rows> known = computedGold.get(q.index());
    if (known != null) {
      return known;
    }
    List<QueryResult.Rows> rows = new ArrayList<>();
    for (Path instance : databases.get(q.dbId()).instances()) {
      QueryResult r = sandbox.execute(instance, q.sql(), limits);
      if (!(r instanceof QueryResult.Rows ok)) {
        throw new IllegalStateException("the gold query of question " + q.id() + " fails on " + instance.getFileName()
            + ": " + ((QueryResult.Failed) r).message());
      }
      rows.add(ok);
    }
    List<QueryResult.Rows> gold = List.copyOf(rows);
    computedGold.put(q.index(), gold);
    return gold;
  }

  /** The tables and columns the gold query of {@code q} references, parsed once with {@code parsers}. */
  Optional<SqlReferences> goldReferences(Question q, ExecutorService parsers) {
    return goldReferences.computeIfAbsent(q.index(), i -> SqlReferences.of(q.sql(), parsers));
  }

  /** Deletes the directory this world generated, if any. Idempotent. */
  @Override
  public void close() {
    if (owned != null) {
      deleteTree(owned);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }
}
