package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * Where the context is long, each PPO-ptx demonstration row is a whole long conversation: the recipe draws as many
 * of them per update as an RL mini-batch has episodes, and keeps its general draw elsewhere.
 */
class RecipeLongContextTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void aLongConversationDrawsAsManyDemonstrationRowsAsAnRlMiniBatchHasEpisodes() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("tutoring", "{maxTurns: 6}"));
    int context = r.config().model().path("context").asInt();
    assertTrue(context >= Recipe.LONG_CONTEXT, "tutoring's context: " + context);
    assertEquals(32, r.config().learnerConfig().ptxRows(), "16 tasks × 8 episodes / 4 mini-batches");
    assertEquals(r.config().tasksPerIteration() * r.config().groupSize() / r.config().miniBatches(),
        r.config().learnerConfig().ptxRows(), "one RL mini-batch's episodes");
    assertTrue(r.origins().get("learner.ptxRows").why().contains("long conversation"),
        r.origins().get("learner.ptxRows").why());
    assertEquals(Recipe.LONG_CONTEXT_ITERATIONS, r.config().iterations(), "fewer RL iterations of long rows");
    assertEquals(20, Recipe.LONG_CONTEXT_ITERATIONS);
    assertTrue(r.config().model().path("kvCache").asBoolean(), "generation reuses the conversation's keys and values");
    assertEquals(Recipe.Source.RECIPE, r.origins().get("model.kvCache").source());
  }

  @Test
  void aConfigsIterationsAndKvCacheWinOverTheLongContextRule() {
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("tutoring", "{maxTurns: 6}",
        "{iterations: 30, model: {kvCache: false}}", null));
    assertEquals(30, set.config().iterations());
    assertEquals(false, set.config().model().path("kvCache").asBoolean());
  }

  @Test
  void aShortContextKeepsTheGeneralDraw() {
    ResolvedConfig r = Recipe.resolve(REGISTRY,
        Recipe.Request.ofEnv("guess-number", "{low: 1, high: 8, maxTurns: 4}"));
    int context = r.config().model().path("context").asInt();
    assertTrue(context < Recipe.LONG_CONTEXT, "guess-number's context: " + context);
    assertEquals(Recipe.PTX_ROWS, r.config().learnerConfig().ptxRows());
    assertEquals(30, r.config().iterations(), "the recipe's 30 iterations");
    assertEquals(false, r.config().model().path("kvCache").asBoolean(false), "djl-lm's default: no cross-turn cache");
  }

  @Test
  void theContextAConfigSetsDecidesAndAConfigsPtxRowsWins() {
    ResolvedConfig longer = Recipe.resolve(REGISTRY, new Recipe.Request("guess-number",
        "{low: 1, high: 8, maxTurns: 4}", "{model: {context: 512}}", null));
    assertEquals(32, longer.config().learnerConfig().ptxRows(), "a config's long context");
    ResolvedConfig smaller = Recipe.resolve(REGISTRY, new Recipe.Request("tutoring", "{maxTurns: 6}",
        "{groupSize: 4, miniBatches: 8}", null));
    assertEquals(16 * 4 / 8, smaller.config().learnerConfig().ptxRows(), "the mini-batch the config makes");
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("tutoring", "{maxTurns: 6}",
        "{learner: {ptxRows: 128}}", null));
    assertEquals(128, set.config().learnerConfig().ptxRows(), "a config file's value wins over the rule");
    assertEquals(Recipe.Source.CONFIG_FILE, set.origins().get("learner.ptxRows").source());
  }
}
