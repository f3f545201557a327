package dev.ludus.runner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands. */
@Command(
    name = "ludus",
    mixinStandardHelpOptions = true,
    version = "ludus 0.1.0",
    description = "Reinforcement learning for LLM agents in multi-turn simulated worlds.",
    subcommands = {
      TrainCommand.class,
      ExperimentCommand.class,
      RolloutCommand.class,
      ListCommand.class,
      CheckEnvCommand.class,
      ShapersCommand.class,
      BenchCommand.class,
    })
public class LudusCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
