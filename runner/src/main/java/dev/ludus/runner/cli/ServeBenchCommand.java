package dev.ludus.runner.cli;

import dev.ludus.agents.serve.ServeBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "ludus serve's output tokens/s (OpenAI client over loopback HTTP) against in-process batched "
        + "generation of the same model, as a ratio.")
public class ServeBenchCommand implements Callable<Integer> {
  @Option(names = "--concurrent", defaultValue = "64", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrent;

  @Option(names = "--tokens", defaultValue = "16", description = "Tokens per completion (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--rounds", defaultValue = "10", description = "Measured rounds per side (default: "
      + "${DEFAULT-VALUE}; over 3, about 0.3 s a side, one late compilation decided the ratio).")
  int rounds;

  @Option(names = "--max-wait-millis", defaultValue = "25", paramLabel = "MS", description = "The served side's "
      + "gathering wait when idle, as ludus serve's maxWaitMillis; 0 starts at the first request (default: "
      + "${DEFAULT-VALUE}).")
  long maxWaitMillis;

  @Option(names = "--warmup-pairs", defaultValue = "auto", paramLabel = "N|auto", description = "Unrecorded warm-up "
      + "pairs of rounds (one a side), 1 to 500, or auto: until each side sent 8,192 requests (so the per-request "
      + "path reaches the optimising JIT) and the JIT compilers took under 5%% of 3 pairs in a row, at most 180 s "
      + "(default: ${DEFAULT-VALUE}).")
  String warmupPairs;

  @Option(names = "--load", defaultValue = "rounds", paramLabel = "rounds|continuous", description = "rounds: every "
      + "client sends one request and the next round waits for the last answer; continuous: each client sends its next "
      + "request as soon as its answer arrives (--per-client a round; how vLLM's benchmark_serving keeps a fixed "
      + "concurrency) (default: ${DEFAULT-VALUE}).")
  String load;

  @Option(names = "--per-client", defaultValue = "4", paramLabel = "N", description = "With continuous load, the "
      + "requests each client sends a round, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int perClient;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int warmup = warmupPairs.equals("auto") ? 0 : warmupPairs.matches("[0-9]{1,3}") ? Integer.parseInt(warmupPairs) : -1;
    if (warmup == -1 || !warmupPairs.equals("auto") && (warmup < 1 || warmup > 500)) {
      throw new IllegalArgumentException("--warmup-pairs must be auto or a whole number 1 to 500, was " + warmupPairs);
    }
    if (perClient < 1 || perClient > 1000) {
      throw new IllegalArgumentException("--per-client must be 1 to 1000, was " + perClient);
    }
    ServeBenchmark.Load mode = switch (load) {
      case "continuous" -> ServeBenchmark.Load.CONTINUOUS;
      case "rounds" -> ServeBenchmark.Load.ROUNDS;
      default -> throw new IllegalArgumentException("--load must be continuous or rounds, was " + load);
    };
    out.println(ServeBenchmark.run(new ServeBenchmark.Options(concurrent, tokens, rounds, maxWaitMillis, warmup,
        mode, mode == ServeBenchmark.Load.ROUNDS ? 1 : perClient)).format());
    out.flush();
    return 0;
  }
}
