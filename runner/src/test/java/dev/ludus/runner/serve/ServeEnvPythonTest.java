package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An unmodified OpenEnv-style Python client loop ({@code examples/serve-env/openenv_client.py}: the standard library
 * and Debian's {@code python3-websockets}) plays full episodes against the server, one environment of each family,
 * with the shaped rewards and their ledger components visible, and gets {@code VALIDATION_ERROR} for a malformed
 * action without losing its session; the server wants a bearer token, which the client sends. Skipped when Debian's python3 or its websockets package is missing
 * ({@code .ci/run} installs it).
 */
class ServeEnvPythonTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path CLIENT = Path.of("..", "examples", "serve-env", "openenv_client.py");
  private static final Registry REGISTRY = Registry.load();
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(5_000));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  static boolean websocketsAvailable() {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "guess-number|{shapers: [{name: outcome}, {name: info-gain, weight: 0.5}]}|info-gain",
      "function-calling|{shapers: [{name: outcome}, {name: tool-call, weight: 0.2}]}|tool-call",
      "emotional-support|{shapers: [{name: outcome}, {name: emotion-delta, weight: 0.5}]}|emotion-delta",
      "deal-or-no-deal|{shapers: [{name: outcome}]}|outcome",
  })
  void anOpenEnvClientLoopPlaysFullEpisodesWithShapedRewards(String env, String shaping, String component)
      throws Exception {
    assumeTrue(websocketsAvailable(), "Debian's python3 with python3-websockets is not installed (/usr/bin/python3 "
        + "-c 'import websockets' failed); .ci/run installs it: apt-get install -y python3-websockets");
    BoundEnvironment bound = Plugins.environment(REGISTRY, env, null).withContext(runtime.pluginContext()).probe();
    ShapingPipeline shaped = ShapingFactory.build(REGISTRY, ShapingSpec.read(shaping), bound);
    long blocked = runtime.blockedThreadWarnings();
    try (EnvServer server = EnvServer.start(runtime.vertx(), bound, shaped, shaped,
        ServeOptions.defaults().withPort(0).withHost("127.0.0.1", "py-token"), MetricsServer.newRegistry())) {
      File out = File.createTempFile("openenv-client", ".jsonl");
      out.deleteOnExit();
      Process p = new ProcessBuilder(PYTHON.toString(), CLIENT.toString(), "http://127.0.0.1:" + server.port(),
          "--episodes", "3", "--check-errors", "--token", "py-token").redirectOutput(out).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.appendTo(out)).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client did not finish in 120 s");
      List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "the client failed:\n" + String.join("\n", lines));
      List<JsonNode> episodes = new ArrayList<>();
      for (String line : lines) {
        episodes.add(Json.JSON.readTree(line));
      }
      assertEquals(3, episodes.size(), lines.toString());
      boolean sawComponent = false;
      for (JsonNode e : episodes) {
        assertTrue(e.get("done").asBoolean(), e.toString());
        assertTrue(e.get("steps").asInt() >= 1, e.toString());
        if (e.get("seat_shaped_returns").isNull()) {
          assertEquals(e.get("steps").asInt(), e.get("step_count").asInt(), "the server's state agrees: " + e);
        } else { // each seat's move is a message; a simultaneous round is one environment step
          assertTrue(e.get("steps").asInt() >= e.get("step_count").asInt(), e.toString());
        }
        assertFalse(e.get("shaped_return").isNull() && e.get("seat_shaped_returns").isNull(),
            "the final observation carries the shaped return: " + e);
        for (JsonNode c : e.get("components")) {
          sawComponent |= c.asText().startsWith(component);
        }
      }
      assertTrue(sawComponent, "the ledger component '" + component + "' was visible: " + lines);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (server.activeSessions() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, server.activeSessions(), "the client's close freed its slot");
    }
    assertEquals(blocked, runtime.blockedThreadWarnings(), "the blocked-thread checker fired");
  }
}
