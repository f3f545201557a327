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
import dev.ludus.runner.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 112}
      iterations: 2
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 1
      warmStartEpisodes: 4
      warmStartSteps: 3
      evalEpisodes: 8
      checkpointEvery: 0
      concurrency: 64
      """;

  @TempDir Path tmp;

  @Test
  void theSummaryComparesEachSeedsSuccessAfterRlWithItsSuccessAfterTheWarmStart() {
    Retention.Options o = new Retention.Options(TrainConfig.read(TINY), List.of(1L, 2L, 3L), 0.05);
    Trainer.WarmStart w = new Trainer.WarmStart(10, 5, 0.1, 1.0, 0.3);
    List<Retention.RunResult> runs = List.of(
        new Retention.RunResult(1, 0.1, 0.8, 0.9, w, List.of(), 1, tmp),
        new Retention.RunResult(2, 0.1, 0.8, 0.77, w, List.of(), 1, tmp),
        new Retention.RunResult(3, 0.1, 0.9, 0.7, w, List.of(), 1, tmp));
    Retention.Summary s = Retention.summarize(o, runs);
    assertEquals(0.8 + 0.1 / 3, s.meanWarmStart(), 1e-9);
    assertEquals((0.9 + 0.77 + 0.7) / 3, s.meanAfterRl(), 1e-9);
    assertEquals((0.1 - 0.03 - 0.2) / 3, s.meanChange(), 1e-9);
    assertEquals(1, s.lost(), "only seed 3 fell by more than 0.05");
    assertFalse(s.retained());
    String table = Retention.table(s);
    assertTrue(table.contains("| 3 | 0.100 | 0.900 | 5 steps, token accuracy 1.000 | 0.700 | -0.200 |"), table);
    assertTrue(table.contains("| mean ± std | | 0.833 ± 0.058 | | 0.790 ± 0.101 | -0.043 ± 0.150 |"), table);
    assertTrue(table.contains("Retained (no seed lost more than 0.05 of its held-out success): no (1 of 3 lost)"),
        table);
  }

  @Test
  void theEmbeddedExperimentIsAStrongWarmStartOnAWiderGuessNumberAndValidates() {
    Retention.Options o = Retention.defaults();
    assertEquals(16, o.base().envConfig().get("high").asInt());
    assertEquals(1, o.base().shapingSpec().shapers().size(), "the outcome only");
    assertTrue(o.base().warmStartAccuracy() > 0, "a warm start run until fitted");
    assertEquals(3, o.seeds().size());
    Retention.validate(Registry.load(), o);
    assertTrue(assertThrows(ConfigException.class, () -> new Retention.Options(
        TrainConfig.read(TINY.replace("warmStartEpisodes: 4", "warmStartEpisodes: 0")), List.of(1L), 0.05))
        .getMessage().contains("needs a warm start"));
  }

  @Test
  void anExperimentTrainsEverySeedAndWritesTheTableTheJsonAndThePlot() throws Exception {
    Retention.Options o = new Retention.Options(TrainConfig.read(TINY), List.of(1L, 2L), 0.05);
    StringWriter text = new StringWriter();
    Retention.Summary s = Retention.run(Registry.load(), o, tmp, "cpu", new PrintWriter(text));
    assertEquals(2, s.runs().size(), text.toString());
    for (Retention.RunResult r : s.runs()) {
      assertEquals(tmp.resolve("seed-" + r.seed()), r.directory());
      assertEquals(2, r.success().size(), "one training success per RL iteration");
      assertTrue(r.warmStart().steps() >= 1 && r.warmStart().steps() <= 3, r.warmStart().toString());
      assertTrue(Files.exists(r.directory().resolve("train.log")));
    }
    JsonNode config = Json.YAML.readTree(tmp.resolve("seed-2/config.yaml").toFile());
    assertEquals(2, config.get("seed").asLong());
    assertEquals(2, config.get("model").get("seed").asLong());
    JsonNode json = Json.JSON.readTree(tmp.resolve("retention.json").toFile());
    assertEquals(2, json.get("runs").size());
    assertEquals(s.meanAfterRl(), json.get("meanAfterRl").asDouble(), 1e-12);
    String svg = Files.readString(tmp.resolve("retention.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("held-out, warm") && svg.contains("<polyline"), svg);
    String md = Files.readString(tmp.resolve("retention.md"));
    assertTrue(md.contains("| mean ± std |") && md.contains("retention.svg"), md);
    assertTrue(text.toString().contains("seed 1 ") && text.toString().contains("after RL"), text.toString());
  }
}
