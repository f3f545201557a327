package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.learn.advantage.TokenAdvantages;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's estimator example, registered by name, trains (ReadmeExamplesTest checks the README shows it). */
class ReadmeEstimatorExampleTest {

  @Test
  void groupSignGivesEveryTokenTheSignOfItsEpisodesOutcomeAgainstTheGroupMean() {
    List<Episode> group = List.of(episode("a", 1.0), episode("b", 0.0), episode("c", 0.55));
    List<TokenAdvantages> out = AdvantageEstimators.of("group-sign", new GroupSign.Config(0.1)).estimateGroup(group);
    assertEquals(1f, out.get(0).get(0, 1), "above the mean 0.517");
    assertEquals(-1f, out.get(1).get(0, 0), "below it");
    assertEquals(0f, out.get(2).get(0, 0), "within the margin");
  }

  @Test
  void aTrainingConfigUsesItByNameWithItsOwnSettings(@TempDir Path dir) throws Exception {
    TrainConfig c = TrainConfig.read("""
        envConfig: {low: 1, high: 4, maxTurns: 2}
        model: {layers: 1, width: 32, heads: 2, context: 112}
        estimator: group-sign
        estimatorConfig: {margin: 0.25}
        iterations: 1
        tasksPerIteration: 4
        groupSize: 4
        epochs: 1
        miniBatches: 1
        warmStartEpisodes: 0
        evalEpisodes: 8
        checkpointEvery: 0
        """);
    assertEquals(new GroupSign.Config(0.25), c.advantageConfig());
    new Trainer(Registry.load(), c, "cpu", new PrintWriter(new StringWriter())).run(dir);
    JsonNode config = Json.YAML.readTree(dir.resolve("config.yaml").toFile());
    assertEquals("group-sign", config.get("estimator").asText());
    assertEquals(0.25, config.get("estimatorConfig").get("margin").asDouble());
    assertEquals(1, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
  }

  private static Episode episode(String id, double outcome) {
    TokenTrace trace = new TokenTrace(new int[] {1}, new int[] {9, 10}, new float[2], 0);
    return new Episode(Episode.SCHEMA, id, "x", "a", new Task("t", 0, null), 0, EpisodeStatus.COMPLETED, null,
        false, 0, List.of(Message.user("go")), List.of(), null,
        List.of(new Turn(0, Message.assistant("x"), trace, List.of(), 0, true, false, null, 0, 0)),
        List.of(new LedgerEntry(0, "outcome", "outcome", outcome, outcome)), 0, 0);
  }
}
