package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import java.io.PrintWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

/**
 * A run whose environment declares held-out tasks of its own (text-to-sql's dev split) builds and checks that
 * held-out environment before the run starts, as it does the training one.
 */
class HeldOutSplitTest {
  private static final Registry REGISTRY = Registry.load();

  private static Trainer trainer(int questionsPerKind) {
    TrainConfig c = Recipe.resolve(REGISTRY, new Recipe.Request("text-to-sql", "{mode: single-turn, domains: [schools], "
        + "databasesPerDomain: 1, perturbations: 0, questionsPerKind: " + questionsPerKind + ", split: train}",
        "{warmStartEpisodes: 0, model: {maxNewTokens: 8, context: 64}, shaping: {shapers: [{name: outcome}]}}", null))
        .config();
    return new Trainer(REGISTRY, c, "cpu", new PrintWriter(Writer.nullWriter()));
  }

  @Test
  void aTrainSplitWhoseDevSplitHasNoQuestionIsRefusedBeforeTheRun() {
    ConfigException e = assertThrows(ConfigException.class, () -> trainer(2).validate());
    assertTrue(e.getMessage().contains("split dev has no question"), e.getMessage());
    trainer(5).validate(); // one dev question per kind: accepted
  }
}
