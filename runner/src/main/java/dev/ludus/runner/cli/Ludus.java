package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The {@code ludus} command line. Exit codes: 0 success, 1 a check or run that did not pass, 2 bad input
 * (unknown names, malformed configuration, bad counts, unwritable directories), with one line naming what
 * was wrong; the stack trace only with {@code --verbose}.
 */
public final class Ludus {
  private Ludus() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code. */
  public static int run(String... args) {
    try (ApplicationContext context = ApplicationContext.builder().banner(false).deduceEnvironment(false).start()) {
      return commandLine(context).execute(args);
    }
  }

  /** The configured command line, with Micronaut creating the commands. */
  public static CommandLine commandLine(ApplicationContext context) {
    boolean verbose = false;
    CommandLine cmd = new CommandLine(LudusCommand.class, new MicronautFactory(context));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      PrintWriter err = c.getErr();
      err.println("ludus " + qualifiedName(c) + ": " + ex.getMessage() + " (see 'ludus " + qualifiedName(c)
          + " --help')");
      if (Arrays.asList(args).contains("--verbose")) {
        ex.printStackTrace(err);
      }
      return 2;
    });
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
      PrintWriter err = c.getErr();
      boolean badInput = ex instanceof ConfigException || ex instanceof IllegalArgumentException
          || ex instanceof CommandLine.ParameterException;
      err.println("ludus " + qualifiedName(c) + ": " + (badInput ? "" : "error: ") + message(ex));
      if (parseResult.expandedArgs().contains("--verbose") || verbose) {
        ex.printStackTrace(err);
      }
      return badInput ? 2 : 1;
    });
    return cmd;
  }

  private static String qualifiedName(CommandLine c) {
    String q = c.getCommandSpec().qualifiedName(" ");
    return q.startsWith("ludus ") ? q.substring(6) : q.equals("ludus") ? "" : q;
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
