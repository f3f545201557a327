package dev.ludus.runner.cli;

import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.serve.ModelServer;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.PluginConfigs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus serve}: serves a djl-lm checkpoint (or a fresh model of a djl-lm configuration) as an
 * OpenAI-compatible HTTP server ({@link ModelServer}) until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve a djl-lm checkpoint (or a fresh model) as an OpenAI-compatible server: POST /v1/chat/completions, "
        + "GET /v1/models. Loopback only unless --host is given with --token.")
public class ServeCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", paramLabel = "DIR", description = "A directory saved by ludus train (weights and "
      + "tokenizer.json). Without it, a fresh model of --config.")
  String checkpoint;

  @Option(names = "--config", paramLabel = "YAML-or-JSON",
      description = "djl-lm configuration (file or inline): architecture for a fresh model, maxBatch, maxWaitMillis "
          + "(25 unless set), textToolCalls, device.")
  String config;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}); "
      + "a non-loopback one needs --token.")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port, 0 for a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token every request must carry.")
  String token;

  @Option(names = "--token-env", paramLabel = "VAR", description = "Read the bearer token from this environment "
      + "variable (keeps it out of the process list).")
  String tokenEnv;

  @Option(names = "--served-model-name", defaultValue = "ludus", paramLabel = "NAME",
      description = "The model name clients send (default: ${DEFAULT-VALUE}).")
  String modelName;

  @Option(names = "--max-tokens", defaultValue = "64", paramLabel = "N",
      description = "Tokens per completion when a request does not say (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--max-n", defaultValue = "16", paramLabel = "N",
      description = "The largest n a request may ask for (default: ${DEFAULT-VALUE}).")
  int maxN;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  /** Signals the serving command to stop (tests); the process otherwise runs until killed. */
  final CountDownLatch stop = new CountDownLatch(1);
  volatile ModelServer running;

  @Override
  public Integer call() throws InterruptedException {
    String bearer = token;
    if (tokenEnv != null) {
      if (token != null) {
        throw new ConfigException("serve: give --token or --token-env, not both");
      }
      bearer = System.getenv(tokenEnv);
      if (bearer == null || bearer.isBlank()) {
        throw new ConfigException("serve: --token-env " + tokenEnv + " names an unset or empty variable");
      }
    }
    ModelServer.Options options = new ModelServer.Options(host, port, modelName, bearer, maxTokens, maxN);
    DjlLmAgentProvider provider = new DjlLmAgentProvider();
    ObjectNode tree = PluginConfigs.tree(provider, config);
    if (checkpoint != null) {
      tree.put("checkpoint", checkpoint);
    }
    if (!tree.has("maxWaitMillis")) {
      // requests arrive over HTTP spread over milliseconds: when idle, collect the burst for one first pass
      tree.put("maxWaitMillis", dev.ludus.agents.serve.ServeBenchmark.SERVE_MAX_WAIT_MILLIS);
    }
    DjlLmAgentProvider.Config c = PluginConfigs.bind(provider, tree);
    try (ChatCompletions completions = ChatCompletions.create(c);
        ModelServer server = ModelServer.start(null, completions, options)) {
      running = server;
      PrintWriter out = spec.commandLine().getOut();
      out.println("ludus serve: " + (checkpoint != null ? "checkpoint " + checkpoint : "a fresh model") + " as '"
          + modelName + "' (" + completions.model().spec() + ") at " + server.baseUrl()
          + (bearer != null ? " (bearer token required)" : ""));
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "serve-stop"));
      stop.await();
    }
    return 0;
  }
}
