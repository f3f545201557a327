package dev.ludus.runner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.train.TrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapingAblationTest {
  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 112}
      iterations: 3
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 1
      warmStartEpisodes: 4
      warmStartSteps: 2
      evalEpisodes: 8
      checkpointEvery: 0
      concurrency: 64
      """;

  @TempDir Path tmp;

  @Test
  void episodesToThresholdCountsTheIterationsUpToTheFirstWindowWhoseMeanReachesIt() {
    List<Double> success = List.of(0.2, 0.8, 0.5, 0.9, 0.9);
    assertEquals(2 * 10, ShapingAblation.episodesToThreshold(success, 0.8, 1, 10), "window 1: the first 0.8");
    assertEquals(4 * 10, ShapingAblation.episodesToThreshold(success, 0.7, 2, 10), "(0.5 + 0.9) / 2 = 0.7 at 4");
    assertEquals(5 * 10, ShapingAblation.episodesToThreshold(success, 0.76, 3, 10), "(0.5 + 0.9 + 0.9) / 3");
    assertEquals(-1, ShapingAblation.episodesToThreshold(success, 0.95, 1, 10), "never reached");
    assertEquals(-1, ShapingAblation.episodesToThreshold(List.of(1.0), 0.5, 2, 10),
        "a window longer than the run never fills");
  }

  @Test
  void censoredRunsCountAsTheBudgetAndTheRatioComparesWithTheFirstArm() {
    TrainConfig base = TrainConfig.read(TINY);
    ShapingAblation.Options o = new ShapingAblation.Options(base, List.of(
        new ShapingAblation.Arm("outcome", null), new ShapingAblation.Arm("dense", null)), List.of(1L, 2L), 0.5, 1);
    assertEquals(48, o.budget());
    List<ShapingAblation.RunResult> runs = List.of(
        new ShapingAblation.RunResult("outcome", 1, List.of(), 32, 0, 0.5, 1, tmp),
        new ShapingAblation.RunResult("outcome", 2, List.of(), -1, 0, 0.25, 1, tmp),
        new ShapingAblation.RunResult("dense", 1, List.of(), 16, 0, 1.0, 1, tmp),
        new ShapingAblation.RunResult("dense", 2, List.of(), 16, 0, 0.75, 1, tmp));
    ShapingAblation.Summary s = ShapingAblation.summarize(o, runs);
    ShapingAblation.ArmSummary outcome = s.arms().get(0);
    assertEquals(40, outcome.meanEpisodes(), 1e-9, "(32 + budget 48) / 2");
    assertEquals(Math.sqrt(128), outcome.stdEpisodes(), 1e-9, "sample std of 32 and 48");
    assertEquals(1, outcome.reached());
    assertTrue(outcome.censored());
    ShapingAblation.ArmSummary dense = s.arms().get(1);
    assertEquals(0.4, dense.ratio(), 1e-9);
    assertEquals(0.875, dense.meanFinal(), 1e-9);
    assertTrue(s.targetMet(), "0.4 <= 2/3");
    String table = ShapingAblation.table(s);
    assertTrue(table.contains("| outcome | ≥ 40 ± 11 | 1/2 | 1.00 | 0.375 ± 0.177 |"), table);
    assertTrue(table.contains("| dense | 16 ± 0 | 2/2 | 0.40 | 0.875 ± 0.177 |"), table);
    assertTrue(table.contains("Target (every shaped arm needs at most 2/3 of the outcome arm's episodes): met"), table);
  }

  @Test
  void theEmbeddedAblationComparesTheOutcomeAloneWithTurnLevelShapingOnFiveSeedsAndValidates() {
    ShapingAblation.Options o = ShapingAblation.defaults();
    assertEquals(List.of("outcome", "turn-level"), o.arms().stream().map(ShapingAblation.Arm::name).toList());
    assertEquals(5, o.seeds().size());
    assertEquals(1, o.arms().get(0).shaping().get("shapers").size(), "the baseline is the outcome alone");
    assertEquals("info-gain", o.arms().get(1).shaping().get("shapers").get(1).get("name").asText());
    assertEquals(TrainConfig.embeddedDefault().iterations(), o.base().iterations(), "the main job's budget");
    assertEquals(TrainConfig.embeddedDefault().shaping(), o.arms().get(1).shaping(), "the main job's shaping");
    assertEquals(TrainConfig.embeddedDefault().estimator(), o.base().estimator());
    ShapingAblation.validate(Registry.load(), o);
  }

  @Test
  void badOptionsAreRefusedNamingTheField() {
    TrainConfig base = TrainConfig.read(TINY);
    List<ShapingAblation.Arm> two = List.of(new ShapingAblation.Arm("a", null), new ShapingAblation.Arm("b", null));
    assertTrue(assertThrows(ConfigException.class, () -> new ShapingAblation.Options(base, two.subList(0, 1),
        List.of(1L), 0.5, 1)).getMessage().contains("at least 2 arms"));
    assertTrue(assertThrows(ConfigException.class, () -> new ShapingAblation.Options(base, two, List.of(1L), 1.5, 1))
        .getMessage().contains("threshold must be in (0, 1]"));
    assertTrue(assertThrows(ConfigException.class, () -> new ShapingAblation.Options(base, two, List.of(1L), 0.5, 9))
        .getMessage().contains("window must be in [1, iterations = 3]"));
    assertTrue(assertThrows(ConfigException.class, () -> new ShapingAblation.Options(base,
        List.of(two.get(0), two.get(0)), List.of(1L), 0.5, 1)).getMessage().contains("'a' appears twice"));
    assertTrue(assertThrows(ConfigException.class, () -> new ShapingAblation.Arm("a b", null)).getMessage()
        .contains("an arm's name"));
    ShapingAblation.Options unknown = new ShapingAblation.Options(base, List.of(two.get(0),
        new ShapingAblation.Arm("typo", ShapingAblation.yaml("shapers: [{name: info-gian}]"))), List.of(1L), 0.5, 1);
    String message = assertThrows(ConfigException.class, () -> ShapingAblation.validate(Registry.load(), unknown))
        .getMessage();
    assertTrue(message.startsWith("arm 'typo': ") && message.contains("info-gian"), message);
  }

  @Test
  void anAblationTrainsEveryArmAndSeedAndWritesTheTableTheJsonAndThePlot() throws Exception {
    TrainConfig base = TrainConfig.read(TINY);
    ShapingAblation.Options o = new ShapingAblation.Options(base, List.of(
        new ShapingAblation.Arm("outcome", ShapingAblation.yaml("shapers: [{name: outcome}]")),
        new ShapingAblation.Arm("dense", ShapingAblation.yaml("shapers: [{name: outcome}, {name: info-gain}]"))),
        List.of(1L, 2L), 0.3, 1);
    StringWriter text = new StringWriter();
    ShapingAblation.Summary s = ShapingAblation.run(Registry.load(), o, tmp, "cpu", new PrintWriter(text));
    assertEquals(4, s.runs().size(), text.toString());
    for (ShapingAblation.RunResult r : s.runs()) {
      assertEquals(3, r.success().size(), "one training success per iteration");
      assertTrue(Files.exists(r.directory().resolve("metrics.jsonl")) && Files.exists(r.directory().resolve("train.log")));
      assertEquals(tmp.resolve(r.arm()).resolve("seed-" + r.seed()), r.directory());
    }
    JsonNode dense = Json.YAML.readTree(tmp.resolve("dense/seed-1/config.yaml").toFile());
    assertEquals("info-gain", dense.get("shaping").get("shapers").get(1).get("name").asText());
    assertEquals(1, dense.get("seed").asLong());
    assertEquals(1, dense.get("model").get("seed").asLong(), "the seed also sets the model's initialization");
    JsonNode outcome = Json.YAML.readTree(tmp.resolve("outcome/seed-2/config.yaml").toFile());
    assertEquals(1, outcome.get("shaping").get("shapers").size());
    JsonNode json = Json.JSON.readTree(tmp.resolve("ablation.json").toFile());
    assertEquals(4, json.get("runs").size());
    assertEquals(3, json.get("runs").get(0).get("trainingSuccess").size());
    assertEquals(2, json.get("arms").size());
    String svg = Files.readString(tmp.resolve("ablation.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("<title>dense</title>") && svg.contains("threshold 0.30"), svg);
    String md = Files.readString(tmp.resolve("ablation.md"));
    assertTrue(md.contains("| outcome |") && md.contains("| dense |") && md.contains("ablation.svg"), md);
    assertFalse(text.toString().isBlank());
  }
}
