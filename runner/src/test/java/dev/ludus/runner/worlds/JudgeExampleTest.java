package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's judge example (examples/judge/) is shown verbatim and builds: two judges, an ensemble, the llm: names. */
class JudgeExampleTest {
  private static final Path DIR = Path.of("..", "examples", "judge");

  @Test
  void theJudgeExample_isInTheReadme_andBuildsAgainstItsLlmSection() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String shaping = Files.readString(DIR.resolve("shaping.yaml"));
    String llm = Files.readString(DIR.resolve("llm.yaml"));
    assertTrue(readme.contains(shaping), "README.md must show examples/judge/shaping.yaml verbatim");
    assertTrue(readme.contains(llm), "README.md must show examples/judge/llm.yaml verbatim");
    Registry registry = Registry.load();
    try (PluginContext.Owned context = PluginContext.standalone(registry, LlmSection.read(DIR.resolve("llm.yaml")
        .toString()))) {
      BoundEnvironment env = Plugins.environment(registry, "sotopia", null).withContext(context);
      ShapingPipeline p = ShapingFactory.build(registry, ShapingSpec.read(DIR.resolve("shaping.yaml").toString()), env);
      assertEquals(3, p.shapers().size());
      assertEquals("ensemble", p.combinerName());
      assertTrue(p.asynchronous(), "judges score groups asynchronously");
    }
  }
}
