package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.LearnerCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 112}
      iterations: 2
      tasksPerIteration: 4
      groupSize: 4
      warmStartEpisodes: 4
      warmStartSteps: 2
      evalEpisodes: 8
      checkpointEvery: 1
      concurrency: 64
      seed: 3
      """;

  @TempDir Path tmp;

  @Test
  void theLoopRunsEndToEndAndWritesTheRunDirectory() throws Exception {
    StringWriter text = new StringWriter();
    Path run = tmp.resolve("run");
    Trainer.Result result = new Trainer(Registry.load(), TrainConfig.read(TINY), "cpu", new PrintWriter(text))
        .run(run);
    assertEquals(2, result.updates(), text.toString());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, metrics.size());
    for (String line : metrics) {
      JsonNode m = Json.JSON.readTree(line);
      for (String field : List.of("iteration", "policyVersion", "success", "return", "components", "loss",
          "policyLoss", "kl", "entropy", "clipFraction", "gradNorm", "samples", "tokens", "staleness",
          "rolloutSeconds", "updateSeconds")) {
        assertTrue(m.has(field), "metrics line lacks '" + field + "': " + line);
      }
      assertEquals(16, m.get("episodes").asInt());
      assertTrue(m.get("components").has("outcome"), line);
      assertTrue(m.get("components").has("info-gain"), line);
      assertEquals(0, m.get("staleness").get("max").asInt(), line);
      assertEquals(0, m.get("staleness").get("dropped").asInt(), line);
      assertTrue(m.get("entropy").asDouble() > 0, line);
      assertTrue(m.get("applied").asBoolean(), line);
    }
    assertEquals(Json.JSON.readTree(metrics.get(0)).get("policyVersion").asLong() + 1,
        Json.JSON.readTree(metrics.get(1)).get("policyVersion").asLong());
    assertEquals(32, Files.readAllLines(run.resolve("episodes.jsonl")).size());
    JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
    assertEquals("igpo", config.get("estimator").asText());
    assertEquals(4, config.get("envConfig").get("high").asInt());
    assertEquals(32, config.get("model").get("width").asInt());
    assertTrue(config.get("learner").has("clipEpsilon"), config.toString());
    assertEquals(3, Files.readAllLines(run.resolve("evaluations.jsonl")).size());
    Path last = Trainer.latestCheckpoint(run).orElseThrow();
    assertTrue(LearnerCheckpoint.exists(last));
    assertEquals("step-000004", last.getFileName().toString(), "2 imitation steps then 2 updates");
    assertTrue(text.toString().contains("held-out success: before"), text.toString());
  }
}
