package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model selection plays the validation tasks an environment declares ({@code EnvironmentProvider.validation}), not
 * its training configuration; an environment that declares none (a plugin written before the seam) validates on its
 * training configuration with seeds of its own, as before. The test environments' episodes succeed exactly on their
 * {@code validation} split, so the validation's success says which configuration it played.
 */
class ValidationSplitTest {
  private static final Registry REGISTRY = Registry.load();

  @TempDir Path tmp;

  private String train(String env) throws Exception {
    TrainConfig c = Recipe.resolve(REGISTRY, new Recipe.Request(env, "{split: train}", "{warmStartEpisodes: 0, "
        + "iterations: 1, tasksPerIteration: 2, groupSize: 2, epochs: 1, miniBatches: 1, evalEpisodes: 4, "
        + "validateEvery: 1, checkpointEvery: 0, model: {layers: 1, width: 16, heads: 2, maxNewTokens: 2, "
        + "context: 32}, shaping: {shapers: [{name: outcome}]}}", null)).config();
    StringWriter text = new StringWriter();
    Trainer trainer = new Trainer(REGISTRY, c, "cpu", new PrintWriter(text));
    trainer.validate();
    Trainer.Result r = trainer.run(tmp.resolve(env));
    assertEquals(0.0, r.successAfter(), "the held-out evaluation plays the dev split: " + text);
    return text.toString();
  }

  @Test
  void aTrainSplitIsValidatedOnTheValidationSplitItsEnvironmentDeclares() throws Exception {
    String log = train("test-splits");
    assertTrue(log.contains("# validation (model selection every 1 iterations) plays the validation tasks "
        + "test-splits declares"), "--print-config says which: " + log);
    assertTrue(log.contains("validation plays the validation tasks test-splits declares"), log);
    assertTrue(log.contains("validation after 0 iterations: 1.000"), "the validation split's episodes: " + log);
  }

  @Test
  void anEnvironmentWithoutValidationTasksIsValidatedOnItsTrainingConfigurationAsBefore() throws Exception {
    String log = train("test-splits-plain");
    assertTrue(log.contains("validation plays the training configuration on seeds of its own (test-splits-plain "
        + "declares no validation tasks)"), log);
    assertTrue(log.contains("validation after 0 iterations: 0.000"), "the training split's episodes: " + log);
  }
}
