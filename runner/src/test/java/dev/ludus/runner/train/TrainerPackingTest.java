package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer packs each episode's turns by default ({@code learner: {packing: true}}) and lays them out one row per
 * turn with {@code packing: false}: the same rollouts (same seed, same untrained policy) give the same first update
 * (loss, gradient norm, tokens) either way, on fewer rows and padded cells when packed.
 */
class TrainerPackingTest {
  private static final String ONE_UPDATE = """
      envConfig: {low: 1, high: 16, maxTurns: 4}
      model: {layers: 1, width: 32, heads: 2, context: 256}
      iterations: 1
      tasksPerIteration: 3
      groupSize: 4
      epochs: 1
      miniBatches: 1
      warmStartEpisodes: 0
      evalEpisodes: 2
      concurrency: 16
      seed: 5
      """;

  @TempDir Path tmp;

  private JsonNode firstUpdate(String config, String name) throws Exception {
    Path run = tmp.resolve(name);
    StringWriter text = new StringWriter();
    new Trainer(Registry.load(), TrainConfig.read(config), "cpu", new PrintWriter(text)).run(run);
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(1, metrics.size(), text.toString());
    return Json.JSON.readTree(metrics.get(0));
  }

  @Test
  void packingIsTheDefaultAndGivesThePerTurnUpdateOnFewerCells() throws Exception {
    assertTrue(TrainConfig.read(ONE_UPDATE).learnerConfig().packing(), "packing is on by default");
    JsonNode packed = firstUpdate(ONE_UPDATE, "packed");
    JsonNode perTurn = firstUpdate(ONE_UPDATE + "learner: {packing: false}\n", "per-turn");

    assertTrue(packed.get("layout").get("packed").asBoolean(), packed.toString());
    assertFalse(perTurn.get("layout").get("packed").asBoolean(), perTurn.toString());
    assertEquals(perTurn.get("samples").asInt(), packed.get("samples").asInt(), "the same rollouts");
    assertEquals(perTurn.get("tokens").asLong(), packed.get("tokens").asLong());
    assertEquals(perTurn.get("updateSamples").asInt(), packed.get("updateSamples").asInt(), "every turn trained");
    assertEquals(perTurn.get("loss").asDouble(), packed.get("loss").asDouble(), 1e-5, "the same loss");
    assertEquals(perTurn.get("gradNorm").asDouble(), packed.get("gradNorm").asDouble(),
        1e-4 * perTurn.get("gradNorm").asDouble(), "the same gradient");
    assertEquals(perTurn.get("samples").asInt(), perTurn.get("rows").asInt(), "one row per turn");
    assertTrue(packed.get("rows").asInt() < perTurn.get("rows").asInt(), "episodes of several turns share a row: "
        + packed.get("rows") + " against " + perTurn.get("rows"));
    assertEquals(packed.get("rows").asInt(), packed.get("layout").get("rows").asInt());
    assertTrue(packed.get("paddedCells").asLong() < perTurn.get("paddedCells").asLong());
    assertTrue(packed.get("trainedTokenShare").asDouble() > perTurn.get("trainedTokenShare").asDouble(),
        packed.get("trainedTokenShare") + " against " + perTurn.get("trainedTokenShare"));
  }
}
