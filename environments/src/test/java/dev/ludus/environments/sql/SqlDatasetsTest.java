package dev.ludus.environments.sql;

import static dev.ludus.environments.sql.SqlFixtures.task;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import dev.ludus.environments.sql.TextToSqlConfig.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spider and BIRD files, hand-written and generated, read back and played. */
class SqlDatasetsTest {
  private static PluginContext.Owned context;
  private static Path spider;
  private static Path bird;

  @BeforeAll
  static void files() throws Exception {
    context = PluginContext.standalone();
    spider = copy("spider", List.of("tables.json", "dev.json", "database/concert_singer/schema.sql",
        "database/concert_singer/perturbed_1.sql"));
    bird = copy("bird", List.of("dev.json", "dev_tables.json", "dev_databases/california_schools/schema.sql",
        "dev_databases/california_schools/database_description/frpm.csv"));
    build(spider.resolve("database/concert_singer/schema.sql"), "concert_singer.sqlite");
    build(spider.resolve("database/concert_singer/perturbed_1.sql"), "concert_singer_perturbed_1.sqlite");
    build(bird.resolve("dev_databases/california_schools/schema.sql"), "california_schools.sqlite");
  }

  @AfterAll
  static void close() {
    context.close();
    SqlWorld.deleteTree(spider);
    SqlWorld.deleteTree(bird);
  }

  /** The test's hand-written files in a directory of their own. */
  private static Path copy(String name, List<String> files) throws IOException {
    Path dir = SqlFixtures.temp("ludus-" + name);
    for (String f : files) {
      try (InputStream in = SqlDatasetsTest.class.getResourceAsStream("/sql/" + name + "/" + f)) {
        Files.createDirectories(dir.resolve(f).getParent());
        Files.copy(in, dir.resolve(f));
      }
    }
    return dir;
  }

  /** A SQLite file made from a dump, as Spider ships {@code schema.sql} beside its databases. */
  private static void build(Path sql, String file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sql.resolveSibling(file))) {
      c.createStatement().executeUpdate(Files.readString(sql));
    }
  }

  private static BoundEnvironment env(Source source, Path dir, String questions, Mode mode, Actions actions) {
    return SqlFixtures.bound(SqlFixtures.small().loading(source, dir.toString(), questions).with(mode, actions), context);
  }

  private static SqlWorld world(Source source, Path dir, String questions) {
    TextToSqlConfig c = SqlFixtures.small().loading(source, dir.toString(), questions);
    SqlFixtures.bound(c, context).create().close();
    return context.shared(c.worldKey(), SqlWorld.class, () -> {
      throw new AssertionError("built above");
    });
  }

  @Test
  void spiderFilesAreReadWithTheirPerturbedCopies() {
    SqlWorld w = world(Source.SPIDER, spider, "dev.json");
    assertEquals(3, w.questions().size());
    SqlWorld.Question q = w.questions().get(0);
    assertEquals("How many singers do we have?", q.question());
    assertEquals("SELECT count(*) FROM singer", q.sql());
    assertEquals("spider", q.kind());
    assertEquals("", q.evidence());
    SqlWorld.Database db = w.database("concert_singer");
    assertEquals(List.of("concert_singer.sqlite", "concert_singer_perturbed_1.sqlite"),
        db.instances().stream().map(p -> p.getFileName().toString()).toList());
    assertTrue(db.schema().startsWith("CREATE TABLE \"stadium\""), db.schema());
  }

  @Test
  void birdFilesAreReadWithTheirEvidence() {
    SqlWorld w = world(Source.BIRD, bird, "dev.json");
    assertEquals(2, w.questions().size());
    assertEquals("Eligible free rate for K-12 = `Free Meal Count (K-12)` / `Enrollment (K-12)`",
        w.questions().get(0).evidence());
    assertEquals("", w.questions().get(1).evidence(), "BIRD writes a missing evidence as \"False\"");
    assertEquals("dev-1", w.questions().get(1).id());
  }

  @Test
  void theOracleSolvesTheHandWrittenSpiderAndBirdQuestions() {
    for (Mode mode : Mode.values()) {
      for (BoundEnvironment env : List.of(env(Source.SPIDER, spider, "dev.json", mode, Actions.TAGS),
          env(Source.BIRD, bird, "dev.json", mode, Actions.TOOLS))) {
        try (Agent oracle = env.oracle().orElseThrow()) {
          for (int i = 0; i < 3; i++) {
            Played p = EnvTestKit.play(env, oracle, env.tasks().task(i, 0), i, 10);
            assertTrue(p.succeeded(), env + " task " + i + ": " + p.last().signals());
          }
        }
      }
    }
  }

  @Test
  void loadedTasksWalkTheFileInOrder() {
    BoundEnvironment env = env(Source.SPIDER, spider, "dev.json", Mode.MULTI_TURN, Actions.TAGS);
    assertEquals(4, env.tasks().task(4, 99).seed());
    assertEquals("text-to-sql/spider/4", env.tasks().task(4, 99).id());
  }

  @Test
  void anAnswerCopyingTheExploredRowsFailsOnThePerturbedCopy() {
    BoundEnvironment env = env(Source.SPIDER, spider, "dev.json", Mode.MULTI_TURN, Actions.TAGS);
    // question 2: the stadiums of French singers; on the explored database they are these two
    String copied = "SELECT 'Bayview Stadium' UNION SELECT 'Stark''s Park'";
    Played explored = EnvTestKit.replay(env, task(2), 2, List.of(Message.assistant("<think>x</think><sql>"
        + "SELECT T2.Name FROM singer AS T1 JOIN stadium AS T2 ON T1.Stadium_ID = T2.Stadium_ID WHERE T1.Country = "
        + "'France'</sql>"), Message.assistant("<think>copy them</think><solution>" + copied + "</solution>")));
    assertTrue(explored.steps().get(0).observation().get(0).content().contains("Bayview Stadium"));
    assertEquals(false, explored.last().signals().get(SqlSignals.EXECUTION_MATCH).orElseThrow());
    assertEquals(0.0, explored.last().reward());
  }

  @Test
  void missingOrInconsistentFilesAreClearConfigErrors() throws Exception {
    Path empty = SqlFixtures.temp("ludus-empty");
    ConfigException noTables = assertThrows(ConfigException.class, () -> SqlDatasets.spider(empty, "dev.json"));
    assertTrue(noTables.getMessage().contains("tables.json"), noTables.getMessage());
    Files.writeString(empty.resolve("tables.json"), "[{\"db_id\": \"other\"}]");
    Files.writeString(empty.resolve("dev.json"), "[{\"db_id\": \"concert_singer\", \"question\": \"q\", \"query\": \"SELECT 1\"}]");
    ConfigException unknownDb = assertThrows(ConfigException.class, () -> SqlDatasets.spider(empty, "dev.json"));
    assertTrue(unknownDb.getMessage().contains("'concert_singer'"), unknownDb.getMessage());
    Files.writeString(empty.resolve("tables.json"), "[{\"db_id\": \"concert_singer\"}]");
    ConfigException noFile = assertThrows(ConfigException.class, () -> SqlDatasets.spider(empty, "dev.json"));
    assertTrue(noFile.getMessage().contains("concert_singer.sqlite"), noFile.getMessage());
    Files.writeString(empty.resolve("dev.json"), "{\"not\": \"a list\"}");
    assertThrows(ConfigException.class, () -> SqlDatasets.spider(empty, "dev.json"));
    SqlWorld.deleteTree(empty);
  }

  @Test
  void generatedDatasetsAreWrittenInSpidersAndBirdsLayoutsAndReadBack() throws Exception {
    TextToSqlConfig config = SqlFixtures.small();
    Path dir = SqlFixtures.temp("ludus-generated");
    List<DatasetWriter.WrittenFile> written = SqlFixtures.PROVIDER.writeDataset(config, new DatasetWriter.Options(30, 3), dir);
    assertTrue(written.stream().map(DatasetWriter.WrittenFile::format).toList()
        .containsAll(List.of("spider", "spider-tables", "spider-gold", "bird", "bird-tables", "bird-gold")));
    for (String f : List.of("tables.json", "train_spider.json", "train_gold.sql", "bird/train.json",
        "bird/train_tables.json", "bird/train_gold.sql", "database/schools_1/schools_1.sqlite",
        "database/schools_1/schools_1_perturbed_1.sqlite", "bird/train_databases/league_1/league_1.sqlite",
        "bird/train_databases/league_1/database_description/players.csv")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    assertEquals(30, Files.readAllLines(dir.resolve("train_gold.sql")).size());
    SqlWorld spiderWorld = SqlDatasets.spider(dir, "train_spider.json");
    SqlWorld birdWorld = SqlDatasets.bird(dir.resolve("bird"), "train.json");
    assertEquals(30, spiderWorld.questions().size());
    assertEquals(spiderWorld.questions().stream().map(SqlWorld.Question::sql).toList(),
        birdWorld.questions().stream().map(SqlWorld.Question::sql).toList());
    assertTrue(birdWorld.questions().stream().anyMatch(q -> !q.evidence().isEmpty()));
    assertEquals(2, spiderWorld.database("schools_1").instances().size());
    BoundEnvironment env = env(Source.SPIDER, dir, "train_spider.json", Mode.MULTI_TURN, Actions.TAGS);
    try (Agent oracle = env.oracle().orElseThrow()) {
      for (int i = 0; i < 30; i++) {
        assertTrue(EnvTestKit.play(env, oracle, env.tasks().task(i, 0), i, 10).succeeded(), "question " + i);
      }
    }
    Path again = SqlFixtures.temp("ludus-generated-again");
    SqlFixtures.PROVIDER.writeDataset(config, new DatasetWriter.Options(30, 3), again);
    assertSameTree(dir, again);
    SqlWorld.deleteTree(again);
    SqlWorld.deleteTree(dir);
  }

  @Test
  void aCountBeyondTheConfiguredDatabasesMakesMoreOfThem() throws Exception {
    TextToSqlConfig config = TextToSqlConfig.defaults().generating(List.of("clinic"), 1, 0, 3);
    Path dir = SqlFixtures.temp("ludus-generated-more");
    SqlFixtures.PROVIDER.writeDataset(config, new DatasetWriter.Options(50, 1), dir);
    assertEquals(50, Files.readAllLines(dir.resolve("train_gold.sql")).size());
    assertTrue(Files.isDirectory(dir.resolve("database/clinic_3")));
    assertFalse(Files.exists(dir.resolve("database/clinic_3/clinic_3_perturbed_1.sqlite")));
    SqlWorld.deleteTree(dir);
  }

  private static void assertSameTree(Path a, Path b) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(a)) {
      files = walk.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
    }
    try (Stream<Path> walk = Files.walk(b)) {
      assertEquals(files, walk.filter(Files::isRegularFile).map(b::relativize).sorted().toList());
    }
    for (Path f : files) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
    }
  }
}
