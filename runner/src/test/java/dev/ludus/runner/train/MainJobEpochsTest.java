package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * The main job makes one pass over each iteration's samples (issue 19, point 6: its updates were half its CPU, and
 * sampled success rose as with two); the recipe, which every other environment trains with, keeps two.
 */
class MainJobEpochsTest {
  @Test
  void theMainJobMakesOnePassPerIterationAndTheRecipeTwo() {
    assertEquals(1, TrainConfig.read("{}").epochs(), "main-job.yaml");
    assertEquals(2, Recipe.resolve(Registry.load(), Recipe.Request.ofEnv("guess-number", null)).config().epochs(),
        "the recipe, with the environment named");
  }
}
