package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/** The recipe's {@code warmStartSchedule} rule: cosine where the warm start has DART's noise, constant elsewhere. */
class WarmStartScheduleRecipeTest {
  private static final Registry REGISTRY = Registry.load();
  private static final String SOKOBAN = "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}";

  @Test
  void theRecipeDecaysTheRateOfABoardWorldsLongFitAndAConfigWins() {
    ResolvedConfig sokoban = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("sokoban", SOKOBAN));
    assertEquals(TrainConfig.COSINE, sokoban.config().warmStartSchedule());
    assertEquals(Recipe.Source.RECIPE, sokoban.origins().get("warmStartSchedule").source());
    assertTrue(sokoban.origins().get("warmStartSchedule").why().contains("cosine"),
        sokoban.origins().get("warmStartSchedule").why());
    assertTrue(WarmStarter.Rule.of(sokoban.config()).cosine());
    ResolvedConfig guess = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}"));
    assertEquals(TrainConfig.CONSTANT, guess.config().warmStartSchedule(), "guess-number is no board world");
    assertEquals(Recipe.Source.RECIPE, guess.origins().get("warmStartSchedule").source());
    ResolvedConfig questions = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("twenty-questions",
        "{candidates: 8, maxTurns: 6}"));
    assertEquals(TrainConfig.CONSTANT, questions.config().warmStartSchedule());
    assertEquals(TrainConfig.CONSTANT, Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("gridworld",
        "{width: 5, height: 5, maxTurns: 20}")).config().warmStartSchedule(), "gridworld 5x5 is a board world, but "
        + "without DART's noise (it declares no cells): not measured with the cosine rate");
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban", SOKOBAN,
        "{warmStartSchedule: constant}", null));
    assertEquals(TrainConfig.CONSTANT, set.config().warmStartSchedule(), "a config file's value wins over the rule");
    assertEquals(TrainConfig.CONSTANT, TrainConfig.read(null).warmStartSchedule(), "the main job: constant");
  }

  @Test
  void anUnknownScheduleIsRefusedNamingTheOnesAllowed() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read("warmStartSchedule: linear"));
    assertTrue(e.getMessage().contains("warmStartSchedule must be constant") && e.getMessage().contains("cosine")
        && e.getMessage().contains("'linear'"), e.getMessage());
  }
}
