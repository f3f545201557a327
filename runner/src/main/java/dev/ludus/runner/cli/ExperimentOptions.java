package dev.ludus.runner.cli;

import dev.ludus.runner.store.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every {@code ludus experiment} command takes, declared once as a picocli mixin ({@code @Mixin}): the
 * model device and where the run directory goes; and the run every one of them makes with them ({@link #run}). Not
 * thread-safe; picocli fills it.
 */
final class ExperimentOptions {
  @Option(names = "--device", paramLabel = "DEVICE", description = "Model device: auto, cpu, gpu or gpu:N.")
  String device;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Parent of the run directory.")
  Path out;

  /** An experiment's runs, into the run directory, on {@code device}, reporting progress to {@code w}. */
  @FunctionalInterface
  interface Experiment {
    /** Runs every run and returns the experiment's Markdown table. */
    String run(Path directory, String device, PrintWriter w) throws InterruptedException;
  }

  /**
   * Creates the run directory {@code name}(-timestamp) under {@code --out}, prints {@code header} and the directory,
   * runs {@code experiment}, then prints its table and the files written: {@code name}'s Markdown table
   * ({@code table}.md in the directory) and {@code alsoWritten}. Returns the exit code, 0.
   */
  int run(CommandSpec spec, String name, String header, String table, String alsoWritten, Experiment experiment)
      throws InterruptedException {
    RunDirectory dir = RunDirectory.create(out, name);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("%s; run directory %s%n", header, dir.path());
    w.flush();
    String markdown = experiment.run(dir.path(), device, w);
    w.println();
    w.print(markdown);
    w.println("written: " + dir.path().resolve(table + ".md") + ", " + alsoWritten);
    w.flush();
    return 0;
  }
}
