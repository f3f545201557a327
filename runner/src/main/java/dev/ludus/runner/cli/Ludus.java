package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The {@code ludus} command line. Exit codes: 0 success, 1 a check or run that did not pass (for {@code rollout}
 * and {@code train}: see {@link RunVerdict}), 2 bad input (unknown commands and names, malformed configuration,
 * bad counts, numbers not written in ASCII digits, empty paths, unwritable directories, plugin paths that are not
 * plugin jars), with one line naming what was wrong; the stack trace only with {@code --verbose}. Nothing is
 * written to disk before the input is validated.
 *
 * <p>{@link #run} loads the user's plugin jars first ({@code --plugins}, {@code LUDUS_PLUGINS}, the
 * launcher's {@code plugins/} folder; see {@link PluginPath}) and makes their class loader the thread's
 * context class loader while the command runs, so that every registry lookup sees them.
 */
public final class Ludus {
  private Ludus() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code. */
  public static int run(String... args) {
    return run(args, System.getenv(PluginPath.ENV), System.getProperty(PluginPath.DIR_PROPERTY), null, null);
  }

  /**
   * Runs the CLI with the plugins named by {@code args}, {@code envPlugins} (the value of
   * {@code LUDUS_PLUGINS}, or null) and {@code pluginsDir} (the launcher's folder, or null), writing to
   * {@code out} and {@code err} (null: standard output and error).
   */
  static int run(String[] args, String envPlugins, String pluginsDir, PrintWriter out, PrintWriter err) {
    PrintWriter errors = err != null ? err : new PrintWriter(System.err, true);
    List<Path> jars;
    try {
      jars = PluginPath.jars(PluginPath.optionValues(args), envPlugins, pluginsDir);
    } catch (ConfigException ex) {
      return badPlugins(ex, args, errors);
    }
    if (jars.isEmpty()) {
      return execute(ApplicationContext.builder(), args, out, err);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader plugins = PluginPath.loader(jars, Ludus.class.getClassLoader())) {
      try {
        Registry.load(plugins);
      } catch (ConfigException | ServiceConfigurationError | LinkageError ex) {
        return badPlugins(new ConfigException("a plugin jar (" + jars.stream().map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator)) + ") does not load: " + message(ex)), args, errors);
      }
      thread.setContextClassLoader(plugins);
      return execute(ApplicationContext.builder(plugins), args, out, err);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static int execute(ApplicationContextBuilder builder, String[] args, PrintWriter out, PrintWriter err) {
    try (ApplicationContext context = builder.banner(false).deduceEnvironment(false).start()) {
      CommandLine cmd = commandLine(context);
      if (out != null) {
        cmd.setOut(out);
      }
      if (err != null) {
        cmd.setErr(err);
      }
      String unknown = unknownCommand(cmd, args);
      if (unknown != null) {
        cmd.getErr().println("ludus: " + unknown);
        cmd.getErr().flush();
        return 2;
      }
      return cmd.execute(args);
    }
  }

  /**
   * When the command named by {@code args} (the first argument that is neither a root option nor its value) is
   * not one of {@code cmd}'s subcommands, the line saying so and listing them; else null. Checked before
   * picocli parses, so that {@code ludus worker --help} is refused rather than answered with the root's help.
   */
  static String unknownCommand(CommandLine cmd, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals(PluginPath.OPTION)) {
        i++; // its value
        continue;
      }
      if (a.startsWith("-")) {
        continue; // a root option (picocli judges it), or a subcommand's option with no command before it
      }
      if (cmd.getSubcommands().containsKey(a)) {
        return null;
      }
      return "unknown command '" + a + "'; the commands are: " + String.join(", ", cmd.getSubcommands().keySet())
          + " (see 'ludus --help')";
    }
    return null;
  }

  private static int badPlugins(Exception ex, String[] args, PrintWriter err) {
    err.println("ludus: " + message(ex));
    if (Arrays.asList(args).contains("--verbose")) {
      ex.printStackTrace(err);
    }
    err.flush();
    return 2;
  }

  /** The configured command line, with Micronaut creating the commands. */
  public static CommandLine commandLine(ApplicationContext context) {
    boolean verbose = false;
    CommandLine cmd = new CommandLine(LudusCommand.class, new MicronautFactory(context));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    StrictConverters.register(cmd);
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      PrintWriter err = c.getErr();
      String name = qualifiedName(c);
      err.println("ludus" + (name.isEmpty() ? "" : " " + name) + ": " + oneLine(ex.getMessage()) + " (see 'ludus"
          + (name.isEmpty() ? "" : " " + name) + " --help')");
      if (Arrays.asList(args).contains("--verbose")) {
        ex.printStackTrace(err);
      }
      return 2;
    });
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
      PrintWriter err = c.getErr();
      boolean badInput = ex instanceof ConfigException || ex instanceof IllegalArgumentException
          || ex instanceof CommandLine.ParameterException;
      err.println("ludus " + qualifiedName(c) + ": " + (badInput ? "" : "error: ") + oneLine(message(ex)));
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

  /** {@code text} on one line: line breaks and the indentation after them become single spaces. */
  static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
