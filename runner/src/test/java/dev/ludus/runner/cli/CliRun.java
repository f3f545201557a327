package dev.ludus.runner.cli;

import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code ludus} CLI in-process for the CLI tests and captures its exit code and what it printed. */
final class CliRun {
  private CliRun() {}

  /** The exit code and the standard output and error of one run. */
  record Outcome(int code, String out, String err) {}

  /** As {@code ./ludus ARGS} (the entry point, its own application context, no plugins). */
  static Outcome main(String... args) {
    return main(null, null, args);
  }

  /** As {@code ./ludus ARGS} with {@code LUDUS_PLUGINS=envPlugins} and the plugins folder {@code pluginsDir}. */
  static Outcome main(String envPlugins, String pluginsDir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ludus.run(args, envPlugins, pluginsDir, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  /** The command line built on a test's application context (Micronaut Test injects it). */
  static Outcome in(ApplicationContext context, String... args) {
    CommandLine cmd = Ludus.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Outcome(cmd.execute(args), out.toString(), err.toString());
  }
}
