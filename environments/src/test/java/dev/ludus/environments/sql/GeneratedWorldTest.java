package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.environments.sql.QuestionTemplates.Candidate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratedWorldTest {
  private static final SqlSandbox.Limits LIMITS = new SqlSandbox.Limits(5_000, 10_000);
  private static final GeneratedWorld.Plan PLAN = new GeneratedWorld.Plan(7, Domains.ALL, 1, 2, 2);

  private static SqlSandbox sandbox;
  private static SqlWorld world;

  @BeforeAll
  static void build() throws Exception {
    sandbox = new SqlSandbox(1);
    world = GeneratedWorld.build(PLAN, SqlFixtures.temp("ludus-world-test"), sandbox, LIMITS, true);
  }

  @AfterAll
  static void close() {
    world.close();
    sandbox.close();
  }

  @Test
  void everyGoldHasRowsOnEveryInstanceAndIsWhatExecutionGives() {
    for (SqlWorld.Question q : world.questions()) {
      List<Path> instances = world.database(q.dbId()).instances();
      assertEquals(3, instances.size());
      assertEquals(3, q.gold().size());
      for (int i = 0; i < instances.size(); i++) {
        QueryResult.Rows rows = assertInstanceOf(QueryResult.Rows.class, sandbox.execute(instances.get(i), q.sql(), LIMITS));
        assertFalse(rows.degenerate(), q.id() + " on instance " + i);
        assertEquals(q.gold().get(i), rows, q.id());
      }
    }
  }

  @Test
  void everyGoldParsesSoSchemaLinkingCanReadIt() {
    for (SqlWorld.Question q : world.questions()) {
      assertTrue(SqlReferences.of(q.sql(), sandbox.parsers()).isPresent(), q.sql());
    }
  }

  @Test
  void theSameSeedGivesTheSameQuestionsAndTheSameFiles() throws Exception {
    GeneratedWorld.Plan plan = new GeneratedWorld.Plan(7, List.of(Domains.FLIGHTS, Domains.CLINIC), 1, 1, 2);
    Path dir = SqlFixtures.temp("ludus-world-again");
    try (SqlWorld once = GeneratedWorld.build(plan, SqlFixtures.temp("ludus-world-once"), sandbox, LIMITS, true);
        SqlWorld again = GeneratedWorld.build(plan, dir, sandbox, LIMITS, true)) {
      assertEquals(once.questions(), again.questions());
      for (String id : once.databases().keySet()) {
        List<Path> a = once.database(id).instances();
        List<Path> b = again.database(id).instances();
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).toString());
        }
      }
    }
    assertFalse(Files.exists(dir), "a world it made is deleted when it closes");
  }

  @Test
  void anotherSeedGivesOtherQuestions() throws Exception {
    GeneratedWorld.Plan other = new GeneratedWorld.Plan(8, List.of(Domains.RETAIL), 1, 0, 2);
    GeneratedWorld.Plan same = new GeneratedWorld.Plan(7, List.of(Domains.RETAIL), 1, 0, 2);
    try (SqlWorld a = GeneratedWorld.build(other, SqlFixtures.temp("w8"), sandbox, LIMITS, true);
        SqlWorld b = GeneratedWorld.build(same, SqlFixtures.temp("w7"), sandbox, LIMITS, true)) {
      assertNotEquals(a.questions().stream().map(SqlWorld.Question::sql).toList(),
          b.questions().stream().map(SqlWorld.Question::sql).toList());
    }
  }

  @Test
  void perturbedCopiesShareTheSchemaButNotTheRows() {
    SqlWorld.Database db = world.database("schools_1");
    String schema = "SELECT sql FROM sqlite_master ORDER BY name";
    String rows = "SELECT * FROM teachers";
    QueryResult first = sandbox.execute(db.instances().get(0), rows, LIMITS);
    for (Path copy : db.instances().subList(1, db.instances().size())) {
      assertEquals(sandbox.execute(db.instances().get(0), schema, LIMITS), sandbox.execute(copy, schema, LIMITS));
      assertNotEquals(first, sandbox.execute(copy, rows, LIMITS));
    }
    assertTrue(db.instances().get(1).getFileName().toString().equals("schools_1_perturbed_1.sqlite"));
  }

  @Test
  void theDatabasesHaveForeignKeysNullsTextDatesAndQuotedColumns() {
    Path file = world.database("schools_1").instances().get(0);
    assertTrue(world.database("schools_1").schema().contains("\"Enrollment (K-12)\" INTEGER"));
    assertEquals(List.of(List.of("districts")), rows(file, "SELECT \"table\" FROM pragma_foreign_key_list('schools')"));
    assertNotEquals(List.of(List.of(0L)), rows(file, "SELECT count(*) FROM schools WHERE \"Free Meal Count (K-12)\" IS NULL"));
    assertEquals(List.of(List.of(0L)), rows(file,
        "SELECT count(*) FROM schools WHERE \"Open Date\" NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"));
    assertEquals(List.of(List.of("text")), rows(file, "SELECT DISTINCT typeof(\"Open Date\") FROM schools"));
  }

  @Test
  void aTieAtTheLimitsCutIsRejectedAndACleanCutKept() throws Exception {
    Path file = tiny("CREATE TABLE t (name TEXT, v INTEGER); INSERT INTO t VALUES ('a', 3), ('b', 2), ('c', 2)");
    Candidate tied = new Candidate(QuestionKind.ORDER_LIMIT, "SELECT name FROM t ORDER BY v DESC LIMIT 2", "q", "",
        "SELECT v FROM t ORDER BY v DESC LIMIT 3", 2);
    Candidate clean = new Candidate(QuestionKind.ORDER_LIMIT, "SELECT name FROM t ORDER BY v DESC LIMIT 1", "q", "",
        "SELECT v FROM t ORDER BY v DESC LIMIT 2", 1);
    assertTrue(GeneratedWorld.gold(tied, List.of(file), sandbox, LIMITS).isEmpty());
    assertTrue(GeneratedWorld.gold(clean, List.of(file), sandbox, LIMITS).isPresent());
  }

  @Test
  void anEmptyOrDegenerateGoldIsRejected() throws Exception {
    Path file = tiny("CREATE TABLE t (name TEXT, v INTEGER); INSERT INTO t VALUES ('a', 3), ('b', NULL)");
    for (String sql : List.of("SELECT name FROM t WHERE v > 10", "SELECT count(*) FROM t WHERE v > 10",
        "SELECT avg(v) FROM t WHERE v > 10", "SELECT nope FROM t")) {
      assertTrue(GeneratedWorld.gold(new Candidate(QuestionKind.FILTER, sql, "q", "", null, 0), List.of(file), sandbox,
          LIMITS).isEmpty(), sql);
    }
    assertTrue(GeneratedWorld.gold(new Candidate(QuestionKind.FILTER, "SELECT count(*) FROM t", "q", "", null, 0),
        List.of(file), sandbox, LIMITS).isPresent());
  }

  private static Path tiny(String script) throws Exception {
    Path file = Files.createTempFile("ludus-tiny", ".sqlite");
    file.toFile().deleteOnExit();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.createStatement().executeUpdate(script);
    }
    return file;
  }

  private static List<List<Object>> rows(Path file, String sql) {
    return assertInstanceOf(QueryResult.Rows.class, sandbox.execute(file, sql, LIMITS)).rows();
  }
}
