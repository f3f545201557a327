package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.serve.EnvServer;
import dev.ludus.runner.serve.ServeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ludus serve-env NAME}: serves an environment over OpenEnv's protocol (see {@link EnvServer}) until the
 * process is stopped, for Python trainers (TRL, SkyRL, verifiers) and OpenRLHF's remote reward.
 */
@Command(name = "serve-env", mixinStandardHelpOptions = true,
    description = "Serve an environment over OpenEnv's protocol (WS /ws, /health, /schema, /metadata, POST /reset "
        + "/step), with shaped rewards in the observations (--shaping), OpenRLHF's POST /get_reward, and /metrics.")
public class ServeEnvCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "Environment name (ludus list envs).")
  String env;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config: a file or inline.")
  String envConfig;

  @Option(names = "--shaping", paramLabel = "FILE",
      description = "Reward shaping (a YAML/JSON file or inline): each observation then carries the turn's shaped "
          + "reward (also the top-level reward) and its ledger; /get_reward runs it (else the environment's reward).")
  String shaping;

  @Option(names = "--llm", paramLabel = "YAML-or-JSON",
      description = "Named chat endpoints for the environment's plugins (simulated users, judges).")
  String llm;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}); any other than loopback needs --token.")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0: any free).")
  int port;

  @Option(names = "--token", defaultValue = "${env:LUDUS_SERVE_TOKEN}", paramLabel = "TOKEN",
      description = "Bearer token every request but /health must carry (Authorization: Bearer TOKEN); default "
          + "from $LUDUS_SERVE_TOKEN.")
  String token;

  @Option(names = "--max-sessions", defaultValue = "256",
      description = "WebSocket sessions at once; one more gets CAPACITY_REACHED (default: ${DEFAULT-VALUE}; size it "
          + "to the trainer's generation batch).")
  int maxSessions;

  @Option(names = "--idle-timeout", defaultValue = "900000", paramLabel = "MS",
      description = "Close a session that sends nothing for this long (default: ${DEFAULT-VALUE}).")
  long idleTimeout;

  @Option(names = "--message-timeout", defaultValue = "60000", paramLabel = "MS",
      description = "Deadline of one reset or step; a session that misses it is closed (default: ${DEFAULT-VALUE}).")
  long messageTimeout;

  @Option(names = "--ping-interval", defaultValue = "20000", paramLabel = "MS",
      description = "Ping each WebSocket this often; drop a peer silent for 3 intervals (default: ${DEFAULT-VALUE}).")
  long pingInterval;

  @Option(names = "--max-message-bytes", defaultValue = "1048576",
      description = "Largest WebSocket message or HTTP body (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(names = "--seed", defaultValue = "0", description = "Run seed that task indices mix with (default: "
      + "${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--blocking", description = "Run the environment's steps on worker threads even if its provider "
      + "does not say they block.")
  boolean blocking;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    ServeOptions options = new ServeOptions(host, port, token == null || token.isBlank() ? null : token, maxSessions,
        idleTimeout, messageTimeout, pingInterval, maxMessageBytes, seed, blocking);
    Registry registry = services.registry();
    PrintWriter out = spec.commandLine().getOut();
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, LlmSection.read(llm))) {
      BoundEnvironment bound = Plugins.environment(registry, env, envConfig)
          .withContext(runtime.pluginContext()).probe();
      ShapingPipeline shaped = shaping == null ? null : ShapingFactory.build(registry, ShapingSpec.read(shaping), bound);
      ShapingPipeline reward = shaped != null ? shaped : ShapingFactory.build(registry, ShapingSpec.outcomeOnly(), bound);
      EnvServer server = EnvServer.start(runtime.vertx(), bound, shaped, reward, options, MetricsServer.newRegistry());
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "serve-env-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
      out.println("ludus serve-env: " + bound.name() + (bound.multiAgent() ? " (seats " + String.join(", ",
          bound.seats()) + ", current_player_id)" : "") + (shaped != null ? ", shaped rewards" : "") + " on " + base
          + " (WebSocket " + base.replace("http", "ws") + "/ws); up to " + maxSessions + " sessions"
          + (options.token() != null ? "; bearer token required" : "") + ". Ctrl-C stops it.");
      out.println("  GET /health /schema /metadata /metrics; POST /reset /step /get_reward (OpenRLHF --reward.remote_url "
          + base + "/get_reward)");
      out.flush();
      stopped.await();
    }
    return 0;
  }
}
