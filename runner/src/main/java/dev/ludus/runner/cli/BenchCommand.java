package dev.ludus.runner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ludus bench ...}: benchmarks that print ratios measured in one run. Each subcommand is a file of its own
 * ({@code …BenchCommand}); this parent only lists them and prints its usage.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (ratios measured in one run).",
    subcommands = {
      RuntimeBenchCommand.class,
      ShapingBenchCommand.class,
      AgentsBenchCommand.class,
      LearnerBenchCommand.class,
      TokenizerBenchCommand.class,
      SearchBenchCommand.class,
      ServeBenchCommand.class,
      LlmUsersBenchCommand.class,
      ServeEnvBenchCommand.class,
      CrashBenchCommand.class,
      FaultsBenchCommand.class,
      MemoryBenchCommand.class,
      HfBenchCommand.class,
      ClusterBenchCommand.class,
      BenchScoringCommand.class,
    })
public class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
