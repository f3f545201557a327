package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.bench.RuntimeBenchmark;
import dev.ludus.runner.config.Plugins;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench runtime}. */
@Command(name = "runtime", mixinStandardHelpOptions = true,
    description = "Turns/s of the full runtime (store on) against a bare Java loop, at several concurrencies.")
public class RuntimeBenchCommand implements Callable<Integer> {
  @Mixin BenchOptions.Env envOption;

  @Mixin BenchOptions.EnvConfig envConfigOption;

  @Mixin BenchOptions.Agent agentOption;

  @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,256",
      description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
  int[] concurrency;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    String env = envOption.name;
    String envConfig = envConfigOption.config;
    String agent = agentOption.name;
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be at least 1, was " + episodes);
    }
    if (Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException("--concurrency levels must be at least 1, were " + Arrays.toString(concurrency));
    }
    PrintWriter out = spec.commandLine().getOut();
    // the benchmark starts its own runtimes; the plugins share one context for the whole command
    try (BenchPlugged plugged = BenchPlugged.of(services.registry(), env, envConfig, agent)) {
      BoundEnvironment bound = plugged.env();
      Plugins.ConfiguredAgent a = plugged.agent();
      out.printf("bench runtime: %s with agent %s, %d episodes per measurement, %d cores%n", env, agent, episodes,
          java.lang.Runtime.getRuntime().availableProcessors());
      out.flush();
      List<RuntimeBenchmark.Row> rows = RuntimeBenchmark.run(bound, agent, a.agent(), episodes, concurrency);
      out.printf("%12s %14s %16s %8s %18s %8s %8s%n", "concurrency", "bare turns/s", "runtime turns/s", "ratio",
          "no-store turns/s", "ratio", "blocked");
      for (RuntimeBenchmark.Row r : rows) {
        out.printf(Locale.ROOT, "%12d %14.0f %16.0f %8.3f %18.0f %8.3f %8d%n", r.concurrency(),
            r.bareTurnsPerSecond(), r.runtimeTurnsPerSecond(), r.ratio(), r.runtimeNoStoreTurnsPerSecond(),
            r.runtimeNoStoreTurnsPerSecond() / r.bareTurnsPerSecond(), r.blockedThreadWarnings());
      }
      out.println("ratio = runtime turns/s (episode store on) / bare-loop turns/s, measured in this run;"
          + " the second ratio is without the store");
      out.flush();
    }
    return 0;
  }
}
