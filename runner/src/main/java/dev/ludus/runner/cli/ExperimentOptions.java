package dev.ludus.runner.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every {@code ludus experiment} command takes, declared once as a picocli mixin ({@code @Mixin}): the
 * model device and where the run directory goes. Not thread-safe; picocli fills it.
 */
final class ExperimentOptions {
  @Option(names = "--device", paramLabel = "DEVICE", description = "Model device: auto, cpu, gpu or gpu:N.")
  String device;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Parent of the run directory.")
  Path out;
}
