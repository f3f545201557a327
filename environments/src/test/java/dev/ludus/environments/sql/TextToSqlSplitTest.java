package dev.ludus.environments.sql;

import static dev.ludus.environments.sql.SqlFixtures.PROVIDER;
import static dev.ludus.environments.sql.SqlFixtures.bound;
import static dev.ludus.environments.sql.SqlFixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Reset;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.environments.sql.TextToSqlConfig.Split;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The train/validation/dev split of a text-to-sql world: disjoint question sets, honoured by tasks, model selection
 * and held-out evaluation.
 */
class TextToSqlSplitTest {
  private static final TextToSqlConfig CONFIG = TextToSqlConfig.defaults()
      .generating(List.of("schools"), 1, 0, 12).withTimeouts(3_000, 5_000);
  private static PluginContext.Owned context;
  private static SqlWorld world;

  @BeforeAll
  static void world() {
    context = PluginContext.standalone();
    bound(CONFIG, context).create().close();
    world = context.shared(CONFIG.worldKey(), SqlWorld.class, () -> {
      throw new AssertionError("the world should exist already");
    });
  }

  @AfterAll
  static void close() {
    context.close();
  }

  private static Set<Integer> indices(List<SqlWorld.Question> questions) {
    return questions.stream().map(SqlWorld.Question::index).collect(Collectors.toSet());
  }

  @Test
  void trainValidationAndDevAreDisjointAndMakeUpTheWorldWithTheFourthAndFifthOfEveryFiveQuestionsOfAKind() {
    Set<Integer> train = indices(world.split(Split.TRAIN));
    Set<Integer> validation = indices(world.split(Split.VALIDATION));
    Set<Integer> dev = indices(world.split(Split.DEV));
    assertFalse(dev.isEmpty());
    assertFalse(validation.isEmpty());
    List<Set<Integer>> splits = List.of(train, validation, dev);
    for (int a = 0; a < splits.size(); a++) {
      for (int b = a + 1; b < splits.size(); b++) {
        Set<Integer> both = new HashSet<>(splits.get(a));
        both.retainAll(splits.get(b));
        assertTrue(both.isEmpty(), "questions in two splits: " + both);
      }
    }
    Set<Integer> union = new HashSet<>(train);
    union.addAll(validation);
    union.addAll(dev);
    assertEquals(indices(world.questions()), union);
    Map<String, Integer> perKind = new HashMap<>();
    Map<String, Integer> devPerKind = new HashMap<>();
    Map<String, Integer> validationPerKind = new HashMap<>();
    for (SqlWorld.Question q : world.questions()) {
      String kind = q.dbId() + "/" + q.kind();
      int n = perKind.merge(kind, 1, Integer::sum);
      assertEquals(n % TextToSqlConfig.DEV_EVERY == 0, dev.contains(q.index()), kind + " question " + n);
      assertEquals(n % TextToSqlConfig.DEV_EVERY == TextToSqlConfig.DEV_EVERY - 1, validation.contains(q.index()),
          kind + " question " + n);
      if (dev.contains(q.index())) {
        devPerKind.merge(kind, 1, Integer::sum);
      }
      if (validation.contains(q.index())) {
        validationPerKind.merge(kind, 1, Integer::sum);
      }
    }
    perKind.forEach((kind, n) -> {
      assertEquals(n / TextToSqlConfig.DEV_EVERY, devPerKind.getOrDefault(kind, 0), kind + " has " + n + " questions");
      assertEquals((n + 1) / TextToSqlConfig.DEV_EVERY, validationPerKind.getOrDefault(kind, 0),
          kind + " has " + n + " questions");
    });
  }

  @Test
  void tasksOfASplitPlayOnlyThatSplitsQuestions() {
    for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.DEV)) {
      Set<String> allowed = world.split(split).stream().map(SqlWorld.Question::question).collect(Collectors.toSet());
      Set<String> played = new HashSet<>();
      try (AnyEnvironment env = bound(CONFIG.splitting(split), context).create()) {
        for (int i = 0; i < 3 * world.questions().size(); i++) {
          Reset reset = EnvTestKit.reset(env, task(i), i);
          String opening = reset.observation().get(reset.observation().size() - 1).content();
          String question = allowed.stream().filter(q -> opening.contains("Question:\n" + q + "\n")
              || opening.endsWith("Question:\n" + q)).findFirst().orElseThrow(() ->
              new AssertionError(split + " task played a question outside its split: " + opening));
          played.add(question);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertEquals(allowed, played, split + ": every question of the split is played");
    }
  }

  @Test
  void theOracleSolvesEveryTaskOfEachSplit() {
    // it once answered the whole world's question at the task's seed, so on a split it answered another question
    for (Split split : List.of(Split.TRAIN, Split.VALIDATION, Split.DEV)) {
      BoundEnvironment env = bound(CONFIG.splitting(split), context);
      try (Agent oracle = env.oracle().orElseThrow()) {
        for (int i = 0; i < world.split(split).size(); i++) {
          assertTrue(EnvTestKit.play(env, oracle, task(i), i, 10).succeeded(), split + " task " + i);
        }
      }
    }
  }

  @Test
  void heldOutEvaluationOfTheTrainSplitPlaysTheDevSplitAndNoneOtherwise() {
    assertEquals(Split.DEV, PROVIDER.heldOut(CONFIG.splitting(Split.TRAIN)).orElseThrow().split());
    assertTrue(PROVIDER.heldOut(CONFIG).isEmpty(), "split all has no held-out split");
    assertTrue(PROVIDER.heldOut(CONFIG.splitting(Split.DEV)).isEmpty());
    BoundEnvironment heldOut = bound(CONFIG.splitting(Split.TRAIN), context).heldOut().orElseThrow();
    assertEquals(Split.DEV, ((TextToSqlConfig) heldOut.config()).split());
    assertTrue(heldOut.hasContext(), "the held-out environment keeps the run's context (its shared world)");
  }

  @Test
  void validationOfTheTrainSplitPlaysTheValidationSplitAndNoneOtherwise() {
    assertEquals(Split.VALIDATION, PROVIDER.validation(CONFIG.splitting(Split.TRAIN)).orElseThrow().split());
    assertTrue(PROVIDER.validation(CONFIG).isEmpty(), "split all has no validation split");
    assertTrue(PROVIDER.validation(CONFIG.splitting(Split.DEV)).isEmpty());
    assertTrue(PROVIDER.validation(CONFIG.splitting(Split.VALIDATION)).isEmpty());
    BoundEnvironment validation = bound(CONFIG.splitting(Split.TRAIN), context).validation().orElseThrow();
    assertEquals(Split.VALIDATION, ((TextToSqlConfig) validation.config()).split());
    assertTrue(validation.hasContext(), "the validation environment keeps the run's context (its shared world)");
  }

  @Test
  void aValidationSplitWithoutQuestionsIsRefusedNamingQuestionsPerKind() {
    TextToSqlConfig few = TextToSqlConfig.defaults().generating(List.of("schools"), 1, 0, 3)
        .splitting(Split.VALIDATION);
    try (PluginContext.Owned own = PluginContext.standalone()) {
      ConfigException e = assertThrows(ConfigException.class, () -> bound(few, own).probe());
      assertTrue(e.getMessage().contains("split validation has no question"), e.getMessage());
      assertTrue(e.getMessage().contains("questionsPerKind"), e.getMessage());
    }
  }

  @Test
  void aDevSplitWithoutQuestionsIsRefusedNamingQuestionsPerKind() {
    TextToSqlConfig few = TextToSqlConfig.defaults().generating(List.of("schools"), 1, 0, 2).splitting(Split.DEV);
    try (PluginContext.Owned own = PluginContext.standalone()) {
      ConfigException e = assertThrows(ConfigException.class, () -> bound(few, own).probe());
      assertTrue(e.getMessage().contains("questionsPerKind"), e.getMessage());
    }
  }
}
