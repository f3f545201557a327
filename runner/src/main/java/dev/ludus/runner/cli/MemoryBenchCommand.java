package dev.ludus.runner.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench memory}: heap per idle in-flight episode and per stored turn (issue 16, finding 7). */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Heap per idle in-flight episode and per stored turn of history: guess-number episodes held at "
        + "once by an agent that stops answering at a chosen turn, measured after full collections.")
public class MemoryBenchCommand implements Callable<Integer> {
  @Option(names = "--in-flight", defaultValue = "10000", description = "Episodes held at once (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--turns", defaultValue = "15", description = "Turns of history at the second measurement "
      + "(default: ${DEFAULT-VALUE}).")
  int turns;

  @Option(names = "--env", paramLabel = "NAME", description = "Environment (default: guess-number over 1 to 10^9, "
      + "which no episode ends early).")
  String env;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
  String envConfig;

  @Option(names = "--agent", paramLabel = "NAME", description = "Agent answering the turns before the hold "
      + "(default: a fixed guess, with the default environment only).")
  String agent;

  @Option(names = "--pause-seconds", defaultValue = "0", description = "Keep the episodes held this long after "
      + "each measurement, to take a heap histogram from outside (default: ${DEFAULT-VALUE}).")
  int pauseSeconds;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    if (inFlight < 1 || turns < 1 || turns > 500 || pauseSeconds < 0) {
      throw new IllegalArgumentException("--in-flight must be at least 1, --turns in 1..500, --pause-seconds >= 0");
    }
    if (env != null && agent == null) {
      throw new IllegalArgumentException("--env needs --agent (the fixed guess suits guess-number only)");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("bench memory: %d %s episodes in flight (agent %s), idle at turn 0 and at turn %d; max heap %.0f MiB%n",
        inFlight, env == null ? "guess-number" : env, agent == null ? "fixed guess" : agent, turns,
        java.lang.Runtime.getRuntime().maxMemory() / 1048576.0);
    out.flush();
    var r = env == null && agent == null
        ? dev.ludus.runner.bench.MemoryBenchmark.run(services.registry(), inFlight, turns)
        : dev.ludus.runner.bench.MemoryBenchmark.run(services.registry(), env == null ? "guess-number" : env,
            env == null ? "{low: 1, high: 1000000000, maxTurns: 1000}" : envConfig, agent, inFlight, turns,
            pauseSeconds);
    out.println(r.format());
    out.flush();
    return 0;
  }
}
