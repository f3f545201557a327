package dev.ludus.runner.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench faults}: the faulty-server check (issue 16). */
@Command(name = "faults", mixinStandardHelpOptions = true,
    description = "guess-number episodes by the openai agent (default settings) against the mock server failing on "
        + "40%% of requests (500, 429 with Retry-After, malformed JSON, truncated bodies, hangs) and answering 8%% "
        + "with tool calls: outcomes, failure reasons, and the server's load while the breaker was open.")
public class FaultsBenchCommand implements Callable<Integer> {
  @Option(names = "--episodes", defaultValue = "2000", description = "Episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", defaultValue = "256", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--seed", defaultValue = "0", description = "Run and fault seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    if (episodes < 1 || concurrency < 1) {
      throw new IllegalArgumentException("--episodes and --concurrency must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("bench faults: %d guess-number episodes at concurrency %d, openai agent with default settings, mock "
        + "server in its own process: 60%% ok, 10%% 500, 10%% 429 (Retry-After 1 s), 5%% malformed JSON, 5%% truncated "
        + "body, 2%% hang, 8%% tool-call replies; %d cores%n", episodes, concurrency,
        java.lang.Runtime.getRuntime().availableProcessors());
    out.flush();
    var defaults = dev.ludus.runner.bench.FaultBenchmark.Options.defaults();
    var r = dev.ludus.runner.bench.FaultBenchmark.run(services.registry(),
        new dev.ludus.runner.bench.FaultBenchmark.Options(episodes, concurrency, seed, defaults.retryAfter(),
            defaults.agent(), defaults.turnTimeoutMillis()));
    out.println(r.format());
    out.flush();
    return r.notFailedShare() >= 0.95 ? 0 : 1;
  }
}
