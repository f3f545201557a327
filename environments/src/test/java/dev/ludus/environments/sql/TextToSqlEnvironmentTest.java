package dev.ludus.environments.sql;

import static dev.ludus.environments.sql.SqlFixtures.bound;
import static dev.ludus.environments.sql.SqlFixtures.small;
import static dev.ludus.environments.sql.SqlFixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Role;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.ToolCall;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextToSqlEnvironmentTest {
  private static PluginContext.Owned context;
  private static SqlWorld world;

  @BeforeAll
  static void world() {
    context = PluginContext.standalone();
    bound(small(), context).create().close(); // builds the shared world
    world = context.shared(small().worldKey(), SqlWorld.class, () -> {
      throw new AssertionError("the world should exist already");
    });
  }

  @AfterAll
  static void close() {
    context.close();
  }

  private static BoundEnvironment env(Mode mode, Actions actions) {
    return bound(small(mode, actions), context);
  }

  private static Played play(BoundEnvironment env, Agent agent, int question) {
    return EnvTestKit.play(env, agent, task(question), question, 10);
  }

  private static Played replay(BoundEnvironment env, int question, Message... actions) {
    return EnvTestKit.replay(env, task(question), question, List.of(actions));
  }

  @Test
  void theOracleSolvesEveryGeneratedQuestionInEveryModeAndProtocol() {
    for (Mode mode : Mode.values()) {
      for (Actions actions : Actions.values()) {
        BoundEnvironment env = env(mode, actions);
        double best = mode == Mode.MULTI_TURN ? 1.0 : actions == Actions.TAGS ? 7.5 : 6.0;
        try (Agent oracle = env.oracle().orElseThrow()) {
          for (int i = 0; i < world.questions().size(); i++) {
            Played p = play(env, oracle, i);
            String where = mode + "/" + actions + " question " + world.questions().get(i).id();
            assertTrue(p.succeeded(), where + ": " + p.last().signals());
            assertEquals(best, p.totalReward(), 1e-9, where);
            assertEquals(mode == Mode.MULTI_TURN ? 2 : 1, p.steps().size(), where);
          }
        }
      }
    }
  }

  @Test
  void theWorldCoversEveryTemplateKindAndEveryDomain() {
    assertEquals(Arrays.stream(QuestionKind.values()).map(QuestionKind::word).collect(Collectors.toSet()),
        world.questions().stream().map(SqlWorld.Question::kind).collect(Collectors.toSet()));
    assertEquals(List.of("schools_1", "retail_1", "flights_1", "clinic_1", "league_1"),
        List.copyOf(world.databases().keySet()));
  }

  @Test
  void theRandomAgentRarelySucceeds() {
    for (Mode mode : Mode.values()) {
      BoundEnvironment env = env(mode, Actions.TAGS);
      Agent random = env.randomAgent();
      int wins = 0;
      int episodes = 150;
      for (int i = 0; i < episodes; i++) {
        Played p = play(env, random, i);
        assertTrue(p.ended(), "episode " + i + " did not end");
        wins += p.succeeded() ? 1 : 0;
      }
      assertTrue(wins <= episodes / 10, mode + ": random won " + wins + " of " + episodes);
    }
  }

  @Test
  void theContractHoldsInEveryModeAndProtocol() {
    for (Mode mode : Mode.values()) {
      for (Actions actions : Actions.values()) {
        EnvChecker.check(env(mode, actions)).assertPassed();
      }
    }
  }

  @Test
  void anExploringQueryIsAnsweredWithSkyRlsObservationAndTheTurnsLeft() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0,
        Message.assistant("<think>look</think>\n<sql>SELECT 41 + 1 AS answer</sql>")).last();
    String text = r.observation().get(0).content();
    assertEquals(Role.USER, r.observation().get(0).role());
    assertEquals("\n\n<observation>answer\n    42\n<reminder>You have 4 turns left to complete the task.</reminder>"
        + "</observation>\n\n", text);
    assertEquals(true, r.signals().get(SqlSignals.SQL_RAN).orElseThrow());
    assertEquals(1, r.signals().get(SqlSignals.SQL_ROWS).orElseThrow());
    assertEquals(4, r.signals().get(SqlSignals.TURNS_LEFT).orElseThrow());
    assertFalse(r.done());
  }

  @Test
  void theQuerysTablesAndColumnsAreSignals() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0, Message.assistant(
        "<think>x</think><sql>SELECT T1.name FROM teachers AS T1 JOIN schools AS T2 ON T1.school_id = T2.school_id "
            + "WHERE T2.`Enrollment (K-12)` > 10 ORDER BY T1.salary</sql>")).last();
    assertEquals(List.of("schools", "teachers"), r.signals().get(SqlSignals.SQL_TABLES).orElseThrow());
    assertEquals(List.of("enrollment (k-12)", "name", "salary", "school_id"),
        r.signals().get(SqlSignals.SQL_COLUMNS).orElseThrow());
  }

  @Test
  void aBrokenQueryIsAnObservationWithSqlitesErrorText() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0,
        Message.assistant("<think>x</think><sql>SELECT nope FROM nowhere</sql>")).last();
    assertTrue(r.observation().get(0).content().contains("Error executing SQL: no such table: nowhere"),
        r.observation().get(0).content());
    assertEquals(false, r.signals().get(SqlSignals.SQL_RAN).orElseThrow());
    assertEquals("no such table: nowhere", r.signals().get(SqlSignals.SQL_ERROR).orElseThrow());
    assertFalse(r.done());
  }

  @Test
  void anActionWithNeitherSqlNorSolutionIsInvalidAndCostsItsTurn() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0, Message.assistant("SELECT 1")).last();
    assertTrue(r.observation().get(0).content().contains(SkyRlSql.INVALID));
    assertTrue(r.signals().has(StandardSignals.INVALID_ACTION));
    assertEquals(4, r.signals().get(SqlSignals.TURNS_LEFT).orElseThrow());
  }

  @Test
  void theLastTurnWithoutASolutionIsTruncatedWithSkyRlsMinusOne() {
    BoundEnvironment env = bound(small().scoring(ExecutionMatch.SET, null), context);
    Message explore = Message.assistant("<think>x</think><sql>SELECT 1</sql>");
    Played p = EnvTestKit.replay(env, task(0), 0, List.of(explore, explore, explore, explore, explore));
    StepResult last = p.last();
    assertEquals(5, p.steps().size());
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertEquals(-1.0, last.reward());
    assertEquals(false, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals("no answer", last.signals().get(SqlSignals.SQL_ERROR).orElseThrow());
    assertTrue(last.observation().isEmpty(), "SkyRL shows nothing at the end");
  }

  @Test
  void aSolutionWithoutThinkingBreaksSkyRlsFormatSoItEarnsMinusOneThoughItsRowsMatch() {
    String gold = world.questions().get(0).sql();
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0, Message.assistant("<solution>" + gold + "</solution>"))
        .last();
    assertTrue(r.terminated());
    assertEquals(-1.0, r.reward());
    assertEquals(true, r.signals().get(SqlSignals.EXECUTION_MATCH).orElseThrow());
    assertEquals(-1.0, r.signals().get(SqlSignals.REWARD_SKYRL).orElseThrow());
  }

  @Test
  void aWrongAnswerInGoodFormatEarnsZero() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TAGS), 0,
        Message.assistant("<think>x</think><solution>SELECT 12345</solution>")).last();
    assertEquals(0.0, r.reward());
    assertEquals(false, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals(1.0, r.signals().get(SqlSignals.REWARD_SYNTAX).orElseThrow());
    assertEquals(0.0, r.signals().get(SqlSignals.REWARD_EXECUTION).orElseThrow());
  }

  @Test
  void singleTurnPublishesEveryReasoningSqlComponentAndSumsThem() {
    SqlWorld.Question q = world.questions().get(3);
    String completion = "<reasoning>\nshort\n</reasoning>\n<answer>\n```sql\n" + q.sql() + "\n```\n</answer>\n";
    StepResult r = replay(env(Mode.SINGLE_TURN, Actions.TAGS), 3, Message.assistant(completion)).last();
    assertEquals(3.0, r.signals().get(SqlSignals.REWARD_EXECUTION).orElseThrow());
    assertEquals(1.0, r.signals().get(SqlSignals.REWARD_SYNTAX).orElseThrow());
    assertEquals(1.0, r.signals().get(SqlSignals.REWARD_SCHEMA_LINKING).orElseThrow());
    assertEquals(1.0, r.signals().get(SqlSignals.REWARD_NGRAM).orElseThrow());
    assertEquals(0.5, r.signals().get(SqlSignals.REWARD_XML_COUNT).orElseThrow(), 1e-12);
    assertEquals(0.5, r.signals().get(SqlSignals.REWARD_SOFT_FORMAT).orElseThrow());
    assertEquals(0.0, r.signals().get(SqlSignals.REWARD_STRICT_FORMAT).orElseThrow()); // the answer spans lines
    assertEquals(7.0, r.reward(), 1e-9);
    assertFalse(r.signals().has(SqlSignals.REWARD_SKYRL));
  }

  @Test
  void nativeToolCallsAndHermesTextCallsBothDriveTheEpisode() {
    SqlWorld.Question q = world.questions().get(5);
    String args = "{\"sql\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(q.sql()) + "}";
    Played p = replay(env(Mode.MULTI_TURN, Actions.TOOLS), 5,
        Message.assistant("", List.of(ToolCall.of("c1", "execute_sql", args))),
        Message.assistant("<tool_call>{\"name\": \"submit\", \"arguments\": " + args + "}</tool_call>"));
    StepResult first = p.steps().get(0);
    assertEquals(Role.TOOL, first.observation().get(0).role());
    assertEquals("c1", first.observation().get(0).toolCallId());
    assertTrue(first.observation().get(0).content().contains("You have 4 turns left"));
    assertEquals(true, first.signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertEquals(true, first.signals().get(SqlSignals.SQL_RAN).orElseThrow());
    assertTrue(p.succeeded(), p.last().signals().toString());
    assertEquals(1.0, p.last().reward());
  }

  @Test
  void aMessageWithoutToolCallsInToolModeIsInvalid() {
    StepResult r = replay(env(Mode.MULTI_TURN, Actions.TOOLS), 0, Message.assistant("SELECT 1")).last();
    assertTrue(r.signals().has(StandardSignals.INVALID_ACTION));
    assertFalse(r.done());
  }

  @Test
  void hostileQueriesInAnEpisodeAreObservationsAndLeaveTheDatabaseAlone() throws Exception {
    BoundEnvironment env = bound(small().withTimeouts(300, 5_000), context);
    Path file = world.database(world.questions().get(0).dbId()).instances().get(0);
    byte[] before = Files.readAllBytes(file);
    String gold = world.questions().get(0).sql();
    Played p = replay(env, 0,
        Message.assistant("<think>x</think><sql>WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
            + "SELECT count(*) FROM r</sql>"),
        Message.assistant("<think>x</think><sql>ATTACH DATABASE '/tmp/x.sqlite' AS x</sql>"),
        Message.assistant("<think>x</think><sql>PRAGMA writable_schema = 1</sql>"),
        Message.assistant("<think>x</think><sql>WITH t AS (SELECT 1) DELETE FROM schools</sql>"),
        Message.assistant("<think>x</think><solution>" + gold + "</solution>"));
    assertTrue(p.steps().get(0).observation().get(0).content().contains("SQL Timeout:"));
    assertEquals("timeout", p.steps().get(0).signals().get(SqlSignals.SQL_ERROR).orElseThrow());
    assertTrue(p.steps().get(1).observation().get(0).content().contains("Error executing SQL: ATTACH"));
    assertTrue(p.steps().get(2).observation().get(0).content().contains("Error executing SQL: PRAGMA writable_schema"));
    assertTrue(p.steps().get(3).observation().get(0).content().contains("readonly database"),
        p.steps().get(3).observation().get(0).content());
    assertTrue(p.succeeded(), "the episode goes on and the right answer still wins");
    assertEquals(1.0, p.last().reward());
    assertTrue(Arrays.equals(before, Files.readAllBytes(file)), "the database file changed");
  }
}
