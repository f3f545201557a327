package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With model selection, a perfect validation cannot be beaten (a tie keeps the earlier weights), so RL stops there:
 * the iterations after it would change nothing the run ends with. Guess-number over 1 to 3 in two guesses, whose
 * oracle (binary search) always wins: a fitted warm start validates at 1.000, and RL then takes no iteration.
 */
class RlStopsAtAPerfectValidationTest {
  @TempDir Path tmp;

  private static final String YAML = """
        envConfig: {low: 1, high: 3, maxTurns: 2}
        model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 3, vocabulary: %s}
        learner: {imitationLearningRate: 3e-3}
        iterations: 3
        tasksPerIteration: 4
        groupSize: 4
        epochs: 1
        miniBatches: 2
        warmStartEpisodes: 12
        warmStartSteps: 400
        warmStartAccuracy: 1.0
        evalEpisodes: 12
        validateEvery: 1
        checkpointEvery: 0
        concurrency: 64
        seed: 3
        """.formatted(TrainerTest.WORDS);

  @Test
  void aPerfectValidationOfTheWarmStartSkipsRl() throws Exception {
    String yaml = YAML + "stopAtPerfectValidation: true\n"; // the recipe's; this config names no env: the main job's
    StringWriter text = new StringWriter();
    Path run = tmp.resolve("run");
    Trainer.Result r = new Trainer(Registry.load(), TrainConfig.read(yaml), "cpu", new PrintWriter(text)).run(run);
    assertTrue(text.toString().contains("validation after 0 iterations: 1.000"),
        "the fitted warm start wins every validation game: " + text);
    assertTrue(text.toString().contains("RL stops after 0 of 3 iterations"), text.toString());
    assertEquals(0, r.updates(), text.toString());
    assertEquals(0, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "no RL iteration was played");
    assertEquals(0, Files.readAllLines(run.resolve("episodes.jsonl")).size(), "no training episode was played");
    assertEquals(r.successAfterWarmStart(), r.successAfter(), "the run ends with the warm start's weights");
    assertFalse(text.toString().contains("training loop:"), text.toString());
  }

  @Test
  void withTheStopOffRlPlaysEveryIterationAndStillEndsWithTheBestValidatedWeights() throws Exception {
    StringWriter text = new StringWriter();
    Path run = tmp.resolve("run");
    TrainConfig config = TrainConfig.read(YAML + "stopAtPerfectValidation: false\n");
    assertFalse(config.stopAtPerfectValidation());
    Trainer.Result r = new Trainer(Registry.load(), config, "cpu", new PrintWriter(text)).run(run);
    assertTrue(text.toString().contains("validation after 0 iterations: 1.000"), text.toString());
    assertFalse(text.toString().contains("RL stops after"), text.toString());
    assertTrue(text.toString().contains("iter   3/3"), "every RL iteration was played: " + text);
    assertTrue(r.updates() > 0, text.toString());
    assertEquals(r.successAfterWarmStart(), r.successAfter(), "a tie keeps the warm start's weights");
  }

  @Test
  void theRecipeStopsRlButTheMainJobPlaysItsIterations() {
    assertTrue(Recipe.resolve(Registry.load(), Recipe.Request.ofEnv("frozen-lake", null)).config()
        .stopAtPerfectValidation());
    assertFalse(TrainConfig.read("{}").stopAtPerfectValidation(), "main-job.yaml turns the stop off");
  }
}
