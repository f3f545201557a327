package dev.ludus.runner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench agents}. */
@Command(name = "agents", mixinStandardHelpOptions = true,
    description = "Agent backends: the openai backend against the mock server, djl-lm batched vs unbatched, and "
        + "djl-lm multi-turn episodes with vs without the cross-turn key/value cache.")
public class AgentsBenchCommand implements Callable<Integer> {
  @Option(names = "--episodes", defaultValue = "64", description = "djl-lm: concurrent episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--tokens", defaultValue = "16", description = "djl-lm: tokens per reply (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--turns", defaultValue = "6", description = "djl-lm: turns of each multi-turn episode (default: ${DEFAULT-VALUE}).")
  int turns;

  @Option(names = "--only", paramLabel = "PART", description = "Run one part only: openai or djl-lm.")
  String only;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (episodes < 1 || tokens < 1 || turns < 1) {
      throw new IllegalArgumentException("--episodes, --tokens and --turns must be at least 1");
    }
    if (only != null && !only.equals("openai") && !only.equals("djl-lm")) {
      throw new IllegalArgumentException("--only must be openai or djl-lm, was '" + only + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (only == null || only.equals("openai")) {
      out.println("(a) openai backend against the mock server in its own process (200 ms latency, concurrency 1000)");
      out.flush();
      try {
        // the benchmark is agents' test fixture: it runs in a JVM of its own, which starts the mock in another
        Process bench = dev.ludus.runner.bench.FixtureProcess.start(
            dev.ludus.runner.bench.FixtureProcess.OPENAI_BENCHMARK, java.util.List.of());
        bench.getOutputStream().close();
        String result = new String(bench.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (bench.waitFor() != 0) {
          throw new IllegalStateException("the openai throughput benchmark failed (exit " + bench.exitValue() + ")");
        }
        out.println("    " + result.strip().replace("\n", "\n    "));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("the openai throughput benchmark could not be started", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      out.flush();
    }
    if (only == null || only.equals("djl-lm")) {
      out.println("(b) " + dev.ludus.agents.djl.GenerationBenchmark.run(episodes, tokens).summary());
      out.flush();
      out.println("(c) " + dev.ludus.agents.djl.GenerationBenchmark.multiTurn(episodes, turns, Math.min(tokens, 4))
          .summary());
    }
    out.flush();
    return 0;
  }

}
