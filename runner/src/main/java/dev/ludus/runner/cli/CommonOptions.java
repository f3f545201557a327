package dev.ludus.runner.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public class CommonOptions {
  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;
}
