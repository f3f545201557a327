package dev.ludus.runner.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands and declares the global {@code --plugins} option. */
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
      CheckSimCommand.class,
      DataCommand.class,
      ExportCommand.class,
      ShapersCommand.class,
      BenchCommand.class,
      DashboardCommand.class,
      ServeEnvCommand.class,
      RmCommand.class,
      ServeCommand.class,
      WorkerCommand.class,
    })
public class LudusCommand implements Runnable {
  @Spec CommandSpec spec;

  /**
   * Declared here for parsing and help; {@link Ludus#run} reads the values before the commands exist,
   * because the registry is loaded when they are created.
   */
  @Option(names = PluginPath.OPTION, paramLabel = "JAR-or-DIR", scope = ScopeType.INHERIT,
      description = "Plugin jars, or directories of plugin jars, to load (repeatable, or joined with '${sys:path.separator}'). "
          + "Also read from $" + PluginPath.ENV + " and the launcher's plugins/ folder.")
  List<String> plugins;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
