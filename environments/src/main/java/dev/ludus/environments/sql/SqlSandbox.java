package dev.ludus.environments.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * Runs the agent's SQL on SQLite files so that a malicious or broken query is an answer, never a crash or a
 * hang. Shared by a run (one per {@link dev.ludus.api.PluginContext}), closed when the run ends.
 *
 * <p>Design note. Three walls: (1) {@link StatementGuard} refuses, before SQLite sees it, anything but one
 * read-only statement; (2) every connection is opened read-only, with {@code PRAGMA query_only}, with the
 * limit on attached databases set to 0 (so {@code ATTACH} fails inside SQLite too) and with strings and blobs
 * capped at {@value #MAX_VALUE_BYTES} bytes; (3) a watchdog thread calls {@link Statement#cancel()} (SQLite's
 * {@code sqlite3_interrupt}) when a statement passes its time limit. {@code setQueryTimeout} alone did not stop
 * a runaway recursive query in sqlite-jdbc; a cancel from another thread does, in milliseconds. A cancel
 * interrupts whatever runs on the whole connection, so a watchdog cancels only while its own statement runs (a
 * late one would stop the connection's next statement), and a connection whose statement was cancelled is closed
 * rather than pooled again. Results are cut at the row limit and at {@value #MAX_RESULT_CHARS} characters in all.
 *
 * <p>Threads: queries run on a fixed pool of daemon threads owned by the sandbox (so that runaway queries
 * never hold the runtime's worker threads) and never on the caller's thread when called through {@link #run}
 * or {@link #submit}; {@link #execute} blocks its caller and is for those pool threads, tests and offline
 * tools. Each pool thread keeps using pooled read-only connections per database file. Thread-safe.
 */
final class SqlSandbox implements AutoCloseable {
  /** The longest string or blob a query may build, in bytes. */
  static final int MAX_VALUE_BYTES = 1_000_000;
  /** The most characters of values a result may hold before the sandbox stops fetching rows. */
  static final int MAX_RESULT_CHARS = 4_000_000;

  private static final Pattern SQLITE_MESSAGE = Pattern.compile("^\\[SQLITE_\\w+\\][^(]*\\((.*)\\)\\s*$", Pattern.DOTALL);

  /**
   * How long one statement may run and how many rows it may return.
   *
   * @param timeLimitMillis the watchdog cancels the statement after this long; positive
   * @param maxRows rows fetched at most; more make the result {@code truncated}; positive
   */
  record Limits(long timeLimitMillis, int maxRows) {
    Limits {
      if (timeLimitMillis < 1) {
        throw new IllegalArgumentException("timeLimitMillis must be positive, was " + timeLimitMillis);
      }
      if (maxRows < 1) {
        throw new IllegalArgumentException("maxRows must be positive, was " + maxRows);
      }
    }
  }

  private final ExecutorService workers;
  private final ScheduledExecutorService watchdog;
  private final ExecutorService parsers;
  private final Map<Path, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
  private final Set<Watch> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A sandbox running queries on {@code threads} threads of its own. */
  SqlSandbox(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, was " + threads);
    }
    this.workers = Executors.newFixedThreadPool(threads, daemons("ludus-sql-"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemons("ludus-sql-watchdog-"));
    this.parsers = Executors.newCachedThreadPool(daemons("ludus-sql-parser-"));
  }

  /** Where JSqlParser runs its parses under their time limit ({@link SqlReferences#of}). */
  ExecutorService parsers() {
    return parsers;
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs {@code sql} on {@code database} on a sandbox thread; the stage completes there, never exceptionally. */
  CompletionStage<QueryResult> run(Path database, String sql, Limits limits) {
    return submit(() -> execute(database, sql, limits));
  }

  /** Runs blocking {@code work} (that calls {@link #execute}) on a sandbox thread; the stage completes there. */
  <T> CompletionStage<T> submit(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      workers.execute(() -> {
        try {
          result.complete(work.call());
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the SQL sandbox is closed", e));
    }
    return result;
  }

  /**
   * Runs {@code sql} on {@code database} on the calling thread, which blocks until it ends or the watchdog
   * cancels it. Never throws for anything the query does: refusals, SQLite errors and timeouts are values.
   */
  QueryResult execute(Path database, String sql, Limits limits) {
    Optional<String> refused = StatementGuard.refusal(sql);
    if (refused.isPresent()) {
      return new QueryResult.Failed(QueryResult.Failure.REFUSED, refused.get());
    }
    if (closed) {
      return new QueryResult.Failed(QueryResult.Failure.ERROR, "the SQL sandbox is closed");
    }
    Connection connection;
    try {
      connection = borrow(database);
    } catch (SQLException e) {
      return new QueryResult.Failed(QueryResult.Failure.ERROR, "cannot open the database: " + describe(e));
    }
    boolean reusable = true;
    try (Statement statement = connection.createStatement()) {
      Watch watch = new Watch(statement);
      running.add(watch);
      ScheduledFuture<?> dog = watchdog.schedule(watch::fire, limits.timeLimitMillis(), TimeUnit.MILLISECONDS);
      try {
        statement.setMaxRows(limits.maxRows() + 1);
        return fetch(statement, sql, limits);
      } catch (SQLException e) {
        if (watch.fired()) {
          return new QueryResult.Failed(QueryResult.Failure.TIMEOUT,
              "cancelled after its time limit of " + limits.timeLimitMillis() + " ms");
        }
        return new QueryResult.Failed(QueryResult.Failure.ERROR, describe(e));
      } finally {
        watch.finish();
        dog.cancel(false);
        running.remove(watch);
        reusable = !watch.fired();
      }
    } catch (SQLException e) {
      reusable = false;
      return new QueryResult.Failed(QueryResult.Failure.ERROR, describe(e));
    } catch (RejectedExecutionException e) {
      reusable = false;
      return new QueryResult.Failed(QueryResult.Failure.ERROR, "the SQL sandbox is closed");
    } finally {
      giveBack(database, connection, reusable);
    }
  }

  private static QueryResult fetch(Statement statement, String sql, Limits limits) throws SQLException {
    if (!statement.execute(sql)) {
      return new QueryResult.Rows(List.of(), List.of(), false);
    }
    try (ResultSet rs = statement.getResultSet()) {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(meta.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      long chars = 0;
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() >= limits.maxRows() || chars > MAX_RESULT_CHARS) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          Object v = value(rs.getObject(i));
          chars += v == null ? 4 : v.toString().length();
          row.add(v);
        }
        rows.add(row);
      }
      return new QueryResult.Rows(columns, rows, truncated);
    }
  }

  /** A value as the results hold it: integers as Long, blobs as {@code X'…'} hex text. */
  private static Object value(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof byte[] bytes) {
      StringBuilder hex = new StringBuilder(bytes.length * 2 + 3).append("X'");
      for (byte b : bytes) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.append('\'').toString();
    }
    return v;
  }

  /** SQLite's message without sqlite-jdbc's code prefix, as Python's sqlite3 shows it: {@code no such table: x}. */
  static String describe(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher matcher = SQLITE_MESSAGE.matcher(m);
    return matcher.matches() ? matcher.group(1) : m;
  }

  private Connection borrow(Path database) throws SQLException {
    Connection pooled = idle.computeIfAbsent(database, d -> new ConcurrentLinkedDeque<>()).pollFirst();
    return pooled != null ? pooled : open(database);
  }

  private void giveBack(Path database, Connection connection, boolean reusable) {
    if (reusable && !closed) {
      idle.computeIfAbsent(database, d -> new ConcurrentLinkedDeque<>()).offerFirst(connection);
      return;
    }
    closeQuietly(connection);
  }

  /** A read-only connection to {@code database}: query_only, no ATTACH, values capped. */
  static Connection open(Path database) throws SQLException {
    if (!Files.isRegularFile(database)) {
      throw new SQLException("no database file " + database.getFileName());
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    Connection c = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath());
    try {
      SQLiteConnection sqlite = c.unwrap(SQLiteConnection.class);
      sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
      sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES);
      sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, StatementGuard.MAX_LENGTH * 4);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only = 1");
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do with a connection that will not close
    }
  }

  /** Stops the threads, cancels what runs, closes every pooled connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    running.forEach(Watch::fire);
    workers.shutdown();
    watchdog.shutdownNow();
    parsers.shutdownNow();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    idle.values().forEach(q -> {
      for (Connection c; (c = q.pollFirst()) != null; ) {
        closeQuietly(c);
      }
    });
  }

  /**
   * The watchdog's view of one statement: it cancels the statement only while it runs, so that a cancel
   * never lands on the connection's next statement.
   */
  static final class Watch {
    private final Statement statement;
    private boolean finished;
    private boolean fired;

    Watch(Statement statement) {
      this.statement = statement;
    }

    synchronized void fire() {
      if (finished || fired) {
        return;
      }
      fired = true;
      try {
        statement.cancel();
      } catch (SQLException ignored) {
        // the statement ended or its connection closed meanwhile
      }
    }

    synchronized void finish() {
      finished = true;
    }

    synchronized boolean fired() {
      return fired;
    }
  }
}
