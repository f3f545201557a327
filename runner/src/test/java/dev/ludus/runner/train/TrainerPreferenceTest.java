package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code algorithm: dpo | ipo | raft}: the trainer learns from the ranking within each group. */
class TrainerPreferenceTest {
  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 3, vocabulary: %s}
      algorithm: %s
      iterations: 2
      tasksPerIteration: 6
      groupSize: 4
      epochs: 1
      miniBatches: 2
      warmStartEpisodes: 0
      evalEpisodes: 8
      checkpointEvery: 0
      concurrency: 64
      seed: 3
      """;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"dpo", "ipo", "raft"})
  void eachIterationRanksItsGroupsAndTrainsOnWhatTheRankingGives(String algorithm) throws Exception {
    StringWriter text = new StringWriter();
    Path run = tmp.resolve(algorithm);
    new Trainer(Registry.load(), TrainConfig.read(TINY.formatted(TrainerTest.WORDS, algorithm)), "cpu",
        new PrintWriter(text)).run(run);
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    int trained = 0;
    for (String line : lines) {
      JsonNode m = Json.JSON.readTree(line);
      JsonNode p = m.get("preference");
      assertEquals(algorithm, p.get("algorithm").asText(), line);
      assertEquals(6, p.get("groups").asInt(), line);
      int ranked = algorithm.equals("raft") ? p.get("groups").asInt() - p.get("tiedGroups").asInt()
          : p.get("pairs").asInt();
      assertEquals(p.get("groups").asInt() - p.get("tiedGroups").asInt(), ranked, line);
      if (algorithm.equals("raft")) {
        assertTrue(p.get("kept").asInt() >= ranked, "top 1 of each ranked group: " + line);
        assertTrue(p.get("accuracy").isNull(), line);
      } else {
        assertEquals(0, p.get("kept").asInt(), line);
      }
      trained += m.get("applied").asBoolean() ? 1 : 0;
    }
    assertTrue(trained > 0, "some iteration had groups that ranked something:\n" + text);
  }

  @Test
  void dpoRaisesHeldOutSuccessOnAnEasyGame() throws Exception {
    String easy = """
        envConfig: {low: 1, high: 3, maxTurns: 2}
        model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 3, vocabulary: %s}
        algorithm: dpo
        preference: {beta: 0.1}
        shaping: {shapers: [{name: outcome}]}
        learner: {learningRate: 3e-3}
        iterations: 20
        tasksPerIteration: 8
        groupSize: 8
        epochs: 1
        miniBatches: 2
        warmStartEpisodes: 0
        evalEpisodes: 48
        checkpointEvery: 0
        seed: 5
        """.formatted(TrainerTest.WORDS);
    StringWriter text = new StringWriter();
    Trainer.Result r = new Trainer(Registry.load(), TrainConfig.read(easy), "cpu", new PrintWriter(text))
        .run(tmp.resolve("easy"));
    assertTrue(r.successAfter() >= r.successBefore() + 0.15,
        "held-out success went from " + r.successBefore() + " to " + r.successAfter() + "\n" + text);
  }

  @Test
  void aPreferenceAlgorithmNeedsGroupsToRank() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainConfig.read("{algorithm: dpo, groupSize: 1, warmStartEpisodes: 0}"));
    assertTrue(e.getMessage().contains("groupSize must be at least 2 for algorithm dpo"), e.getMessage());
  }

  @Test
  void anUnknownAlgorithmIsRefusedListingTheAlgorithmsAsWritten() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read("{algorithm: sgd}"));
    assertTrue(e.getMessage().contains("ppo, dpo, ipo, raft"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dpo", "raft"})
  void theExampleConfigsBindToTheirAlgorithm(String algorithm) throws Exception {
    Path file = Path.of("..", "examples", "preference", algorithm + "-guess-number.yaml");
    TrainConfig c = TrainConfig.read(file.toString());
    assertEquals(algorithm, c.algorithm().name().toLowerCase(java.util.Locale.ROOT));
    assertEquals(0, c.warmStartEpisodes());
  }
}
