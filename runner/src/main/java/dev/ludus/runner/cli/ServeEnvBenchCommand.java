package dev.ludus.runner.cli;

import dev.ludus.runner.serve.ServeBenchmark;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench serve-env}: the serve-env load and leak benchmark ({@link ServeBenchmark}). */
@Command(name = "serve-env", mixinStandardHelpOptions = true,
    description = "serve-env under load: many WebSocket sessions at once, a share dropping their connection or going "
        + "silent half-way; prints steps, slots leaked (0 expected) and step latency.")
public class ServeEnvBenchCommand implements Callable<Integer> {
  @Mixin BenchOptions.Env envOption;

  @Mixin BenchOptions.EnvConfig envConfigOption;

  @Option(names = "--shaping", paramLabel = "FILE", description = "Shaping, so every step is also scored.")
  String shaping;

  @Option(names = "--sessions", defaultValue = "1000", description = "Sessions at once (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--steps", defaultValue = "50000", description = "Steps in all (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--drop", defaultValue = "0.2",
      description = "Share of sessions that die half-way (default: ${DEFAULT-VALUE}).")
  double drop;

  @Option(names = "--ping-interval", defaultValue = "5000", paramLabel = "MS",
      description = "The server's ping interval (default: ${DEFAULT-VALUE}).")
  long pingInterval;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    String env = envOption.name;
    String envConfig = envConfigOption.config;
    PrintWriter out = spec.commandLine().getOut();
    out.println("bench serve-env: " + env + ", " + sessions + " sessions, " + steps + " steps, " + Math.round(drop * 100)
        + "% dying half-way" + (shaping != null ? ", shaped" : ""));
    out.flush();
    ServeBenchmark.Result r = ServeBenchmark.run(services.registry(),
        new ServeBenchmark.Config(env, envConfig, shaping, sessions, steps, drop, pingInterval));
    out.println(r.describe());
    out.flush();
    return r.leaked() == 0 && r.errors() == 0 ? 0 : 1;
  }
}
