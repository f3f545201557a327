package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A malicious or broken query is an answer, never a crash or a hang. */
class SqlSandboxTest {
  private static final Duration NEVER_HANGS = Duration.ofSeconds(30);
  private static final SqlSandbox.Limits LIMITS = new SqlSandbox.Limits(300, 50);

  private static Path dir;
  private static Path file;
  private static SqlSandbox sandbox;

  @BeforeAll
  static void database() throws Exception {
    dir = SqlFixtures.temp("ludus-sandbox-test");
    file = dir.resolve("t.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.createStatement().execute("CREATE TABLE t (x INTEGER, \"Unit Price\" REAL, name TEXT)");
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
        for (int i = 0; i < 200; i++) {
          p.setInt(1, i);
          p.setDouble(2, i / 4.0);
          p.setString(3, "n" + i);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    }
    sandbox = new SqlSandbox(1);
  }

  @AfterAll
  static void close() {
    sandbox.close();
    SqlWorld.deleteTree(dir);
  }

  private static QueryResult run(String sql) {
    return assertTimeoutPreemptively(NEVER_HANGS, () -> sandbox.execute(file, sql, LIMITS));
  }

  private static QueryResult.Failed failed(String sql, QueryResult.Failure kind) {
    QueryResult r = run(sql);
    QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class, r, sql);
    assertEquals(kind, f.failure(), sql + ": " + f.message());
    return f;
  }

  @Test
  void aRunawayRecursiveQueryIsCancelledByTheWatchdog() {
    failed("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        QueryResult.Failure.TIMEOUT);
  }

  @Test
  void aHugeAggregatedCrossJoinIsCancelledByTheWatchdog() {
    failed("SELECT count(*) FROM t a, t b, t c, t d, t e, t f", QueryResult.Failure.TIMEOUT);
  }

  @Test
  void aHugeCrossJoinIsCutAtTheRowLimit() {
    QueryResult.Rows rows = assertInstanceOf(QueryResult.Rows.class, run("SELECT * FROM t a, t b, t c, t d"));
    assertEquals(50, rows.size());
    assertTrue(rows.truncated());
  }

  @Test
  void aLateWatchdogNeverStopsTheConnectionsNextStatement_lateCancelBug() throws Exception {
    // Statement.cancel() interrupts the whole connection: a watchdog that fired after its statement had ended
    // stopped the next statement on that connection (seen while trying the sandbox out)
    java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (Connection c = SqlSandbox.open(file); Statement first = c.createStatement(); Statement second = c.createStatement()) {
      first.execute("SELECT 1");
      SqlSandbox.Watch late = new SqlSandbox.Watch(first);
      late.finish();
      timer.schedule(late::fire, 30, TimeUnit.MILLISECONDS);
      var rs = assertTimeoutPreemptively(NEVER_HANGS, () -> second.executeQuery(
          "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 400000) SELECT count(*) FROM r"));
      assertTrue(rs.next());
      assertEquals(400_000, rs.getInt(1));
      assertEquals(false, late.fired());
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void theSandboxKeepsAnsweringAfterATimeout() {
    failed("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        QueryResult.Failure.TIMEOUT);
    QueryResult.Rows rows = assertInstanceOf(QueryResult.Rows.class, run("SELECT count(*) FROM t"));
    assertEquals(List.of(List.of(200L)), rows.rows());
  }

  @Test
  void attachIsRefusedByTheGuardAndBySqliteItself() throws Exception {
    failed("ATTACH DATABASE '" + dir.resolve("other.sqlite") + "' AS other", QueryResult.Failure.REFUSED);
    failed("  /* hi */ attach '" + dir.resolve("other.sqlite") + "' AS other", QueryResult.Failure.REFUSED);
    try (Connection c = SqlSandbox.open(file); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("ATTACH DATABASE '"
          + dir.resolve("other.sqlite") + "' AS other"));
      assertTrue(e.getMessage().contains("too many attached databases"), e.getMessage());
    }
    assertTrue(Files.notExists(dir.resolve("other.sqlite")));
  }

  @Test
  void writableSchemaIsRefusedAndCouldNotWriteAnyway() throws Exception {
    failed("PRAGMA writable_schema = 1", QueryResult.Failure.REFUSED);
    failed("PRAGMA writable_schema=ON", QueryResult.Failure.REFUSED);
    try (Connection c = SqlSandbox.open(file); Statement s = c.createStatement()) {
      s.execute("PRAGMA writable_schema = 1");
      SQLException e = assertThrows(SQLException.class,
          () -> s.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE t (y)' WHERE name = 't'"));
      assertTrue(e.getMessage().toLowerCase().contains("readonly"), e.getMessage());
    }
  }

  @Test
  void writesAreRefusedAndTheFileIsUnchanged() throws Exception {
    byte[] before = Files.readAllBytes(file);
    for (String write : List.of("INSERT INTO t VALUES (1, 2, 'x')", "UPDATE t SET x = 0", "DELETE FROM t",
        "DROP TABLE t", "CREATE TABLE u (a)", "CREATE TEMP TABLE u (a)", "REPLACE INTO t VALUES (1, 2, 'x')",
        "VACUUM", "BEGIN", "ALTER TABLE t ADD COLUMN y", "REINDEX", "-- a comment\n delete from t")) {
      failed(write, QueryResult.Failure.REFUSED);
    }
    // the guard reads only the first keyword; SQLite's read-only connection stops what starts like a read
    for (String write : List.of("WITH a AS (SELECT 1) INSERT INTO t (x) SELECT * FROM a",
        "WITH a AS (SELECT 1) DELETE FROM t")) {
      QueryResult.Failed f = failed(write, QueryResult.Failure.ERROR);
      assertTrue(f.message().contains("readonly"), f.message());
    }
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void oneStatementAtATime() {
    failed("SELECT 1; DROP TABLE t", QueryResult.Failure.REFUSED);
    failed("SELECT 1; SELECT 2", QueryResult.Failure.REFUSED);
    assertInstanceOf(QueryResult.Rows.class, run("SELECT 'a;b' AS s;"));
    assertInstanceOf(QueryResult.Rows.class, run("SELECT name FROM t WHERE name = 'x; DROP TABLE t' -- ; nothing"));
  }

  @Test
  void schemaPragmasAreAllowedToExplore() {
    QueryResult.Rows rows = assertInstanceOf(QueryResult.Rows.class, run("PRAGMA table_info(t)"));
    assertEquals(3, rows.size());
  }

  @Test
  void hugeValuesAreCappedBySqlite() {
    QueryResult.Failed f = failed("SELECT randomblob(2000000)", QueryResult.Failure.ERROR);
    assertTrue(f.message().contains("too big"), f.message());
  }

  @Test
  void anErrorIsSqlitesMessageWithoutItsCodePrefix() {
    assertEquals("no such table: nowhere", failed("SELECT * FROM nowhere", QueryResult.Failure.ERROR).message());
    assertTrue(failed("SELEC 1", QueryResult.Failure.ERROR).message().contains("syntax error"));
  }

  @Test
  void valuesComeBackTyped() {
    QueryResult.Rows rows = assertInstanceOf(QueryResult.Rows.class,
        run("SELECT x, \"Unit Price\", name, NULL, x'0aff' FROM t WHERE x = 6"));
    assertEquals(List.of("x", "Unit Price", "name", "NULL", "x'0aff'"), rows.columns());
    assertEquals(java.util.Arrays.asList(6L, 1.5, "n6", null, "X'0aff'"), rows.rows().get(0));
  }

  @Test
  void runAnswersOnASandboxThread() throws Exception {
    // a stage that is already complete when the callback is attached runs it on this thread: only stages still
    // running then say which thread completes them (under load a fast query can finish first; try again)
    int observed = 0;
    for (int attempt = 0; attempt < 50 && observed < 3; attempt++) {
      var stage = sandbox.run(file, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
          + "SELECT count(*) FROM c", LIMITS).toCompletableFuture();
      if (stage.isDone()) {
        continue;
      }
      String thread = stage.thenApply(r -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
      if (!thread.equals(Thread.currentThread().getName())) {
        assertTrue(thread.startsWith("ludus-sql-"), thread);
        observed++;
      }
    }
    assertTrue(observed > 0, "no query was still running when its callback was attached");
  }

  @Test
  void aClosedSandboxFailsItsStagesInsteadOfHanging() throws Exception {
    SqlSandbox other = new SqlSandbox(1);
    other.close();
    other.close();
    var stage = other.run(file, "SELECT 1", LIMITS).toCompletableFuture();
    assertTrue(stage.isCompletedExceptionally());
    assertInstanceOf(QueryResult.Failed.class, other.execute(file, "SELECT 1", LIMITS));
  }
}
