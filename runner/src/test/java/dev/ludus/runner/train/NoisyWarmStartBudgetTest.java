package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * The recipe's budget where the warm start has DART's noise: more oracle episodes and a longer fit, fewer RL
 * iterations; the other board worlds and the rest keep theirs, and a config's values win.
 */
class NoisyWarmStartBudgetTest {
  private static final Registry REGISTRY = Registry.load();
  private static final String SOKOBAN = "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}";

  @Test
  void aNoisyWarmStartGetsMoreRoomsAndStepsAndRlFewerIterations() {
    ResolvedConfig sokoban = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("sokoban", SOKOBAN));
    assertTrue(sokoban.config().warmStartNoise() > 0, "the rule's signal: DART's noise is on");
    assertEquals(Recipe.NOISY_WARM_START_EPISODES, sokoban.config().warmStartEpisodes());
    assertEquals(Recipe.NOISY_WARM_START_STEPS, sokoban.config().warmStartSteps());
    assertEquals(Recipe.NOISY_ITERATIONS, sokoban.config().iterations());
    for (String field : new String[] {"warmStartEpisodes", "warmStartSteps", "iterations"}) {
      assertEquals(Recipe.Source.RECIPE, sokoban.origins().get(field).source(), field);
    }
    assertTrue(sokoban.origins().get("iterations").why().contains("DART"), sokoban.origins().get("iterations").why());
    assertTrue(sokoban.origins().get("warmStartSteps").why().contains("underfit"),
        sokoban.origins().get("warmStartSteps").why());
  }

  @Test
  void boardWorldsWithoutNoiseKeepTheirBudget() {
    ResolvedConfig lake = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("frozen-lake", "{maxTurns: 12}"));
    assertEquals(0.0, lake.config().warmStartNoise());
    assertEquals(Recipe.STATE_WARM_START_STEPS, lake.config().warmStartSteps());
    assertTrue(lake.config().warmStartEpisodes() <= Recipe.STATE_WARM_START_EPISODES);
    assertEquals(30, lake.config().iterations());
    ResolvedConfig grid = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("gridworld",
        "{width: 5, height: 5, maxTurns: 20}"));
    assertEquals(Recipe.STATE_WARM_START_STEPS, grid.config().warmStartSteps());
    assertEquals(30, grid.config().iterations());
    assertEquals(30, Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}")).config().iterations());
  }

  @Test
  void aConfigsValuesWinOverTheRule() {
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban", SOKOBAN,
        "{iterations: 30, warmStartSteps: 1600}", null));
    assertEquals(30, set.config().iterations());
    assertEquals(1600, set.config().warmStartSteps());
    assertEquals(Recipe.Source.CONFIG_FILE, set.origins().get("iterations").source());
  }
}
