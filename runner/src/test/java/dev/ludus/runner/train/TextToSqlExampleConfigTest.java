package dev.ludus.runner.train;

import dev.ludus.api.SignalKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.environments.sql.TextToSqlConfig;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/text-to-sql.yaml and the README's sql-reward spec bind to the environment they name. */
class TextToSqlExampleConfigTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void theExampleTrainingConfigBindsToTextToSqlAndItsShaping() {
    TrainConfig c = TrainConfig.read(Path.of("..", "examples", "text-to-sql.yaml").toString());
    assertEquals("text-to-sql", c.env());
    BoundEnvironment env = Plugins.environment(REGISTRY, c.env(), c.envConfig().toString());
    TextToSqlConfig sql = (TextToSqlConfig) env.config();
    assertEquals(TextToSqlConfig.Mode.SINGLE_TURN, sql.mode());
    ShapingPipeline pipeline = ShapingFactory.build(REGISTRY, c.shapingSpec(), env);
    assertEquals(List.of("sql-reward"), pipeline.shapers().stream().map(ShapingPipeline.ShaperEntry::name).toList());
  }

  @Test
  void theReadmesSqlRewardSpecBindsToTextToSql() throws Exception {
    String block = Arrays.stream(Files.readString(Path.of("..", "README.md")).split("```", -1))
        .filter(b -> b.startsWith("yaml\n") && b.contains("name: sql-reward")).findFirst().orElseThrow()
        .substring("yaml\n".length());
    BoundEnvironment env = Plugins.environment(REGISTRY, "text-to-sql", null);
    ShapingPipeline pipeline = ShapingFactory.build(REGISTRY, ShapingSpec.read(block), env);
    assertTrue(pipeline.requiredSignals().stream().map(SignalKey::name).toList()
        .containsAll(List.of("sql-reward-execution", "sql-reward-skyrl")),
        pipeline.requiredSignals().toString());
  }
}
