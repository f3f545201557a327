package dev.ludus.runner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench llm-users}. */
@Command(name = "llm-users", mixinStandardHelpOptions = true,
    description = "Episodes/s of the generic llm-user against the mock server (own process) at a fixed latency, "
        + "against Little's law.")
public class LlmUsersBenchCommand implements Callable<Integer> {
  @Option(names = "--concurrency", defaultValue = "512", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--episodes", defaultValue = "2048", description = "Measured episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--turns", defaultValue = "3", description = "Agent messages per episode (default: ${DEFAULT-VALUE}).")
  int turns;

  @Option(names = "--latency", defaultValue = "200", paramLabel = "MS",
      description = "The mock's latency (default: ${DEFAULT-VALUE}).")
  long latency;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println(dev.ludus.runner.bench.LlmUserBenchmark.run(
        new dev.ludus.runner.bench.LlmUserBenchmark.Options(concurrency, episodes, turns, latency)).format());
    out.flush();
    return 0;
  }
}
