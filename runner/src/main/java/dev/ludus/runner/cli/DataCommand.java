package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.runner.config.Plugins;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus data ...}: datasets of an environment's tasks in the field's file formats. */
@Command(name = "data", mixinStandardHelpOptions = true,
    description = "Datasets of an environment's tasks, in the field's file formats.",
    subcommands = DataCommand.Generate.class)
public class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ludus data generate NAME --out DIR}: writes generated tasks through the environment's {@link DatasetWriter}. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write an environment's generated tasks as a dataset in its field's standard formats.")
  public static class Generate implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The environment's registered name.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "The directory to write into (created; must be empty if it exists).")
    Path out;

    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "A config file or inline YAML/JSON.")
    String envConfig;

    @Option(names = "--count", defaultValue = "1000", description = "Tasks to write (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "The generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() {
      BoundEnvironment env = Plugins.environment(services.registry(), name, envConfig);
      DatasetWriter.Options options = new DatasetWriter.Options(count, seed);
      List<DatasetWriter.WrittenFile> written = write(env.provider(), env.config(), options, emptyDirectory(out));
      PrintWriter w = spec.commandLine().getOut();
      for (DatasetWriter.WrittenFile f : written) {
        w.println(f.path() + "  (" + f.format() + (f.description().isEmpty() ? "" : ": " + f.description()) + ")");
      }
      w.println(name + ": " + count + " tasks written to " + out);
      w.flush();
      return 0;
    }

    @SuppressWarnings("unchecked")
    private static <C> List<DatasetWriter.WrittenFile> write(EnvironmentProvider<C> provider, Object config,
        DatasetWriter.Options options, Path directory) {
      if (!(provider instanceof DatasetWriter<?> writer)) {
        throw new ConfigException("environment '" + provider.name() + "' does not write datasets (its provider does "
            + "not implement DatasetWriter)");
      }
      try {
        return ((DatasetWriter<C>) writer).writeDataset((C) config, options, directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the dataset into " + directory + ": " + e.getMessage(), e);
      }
    }

    private static Path emptyDirectory(Path dir) {
      try {
        if (Files.exists(dir)) {
          if (!Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file; give a directory");
          }
          try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
              throw new ConfigException("--out " + dir + " is not empty; give a new or empty directory");
            }
          }
        }
        return Files.createDirectories(dir);
      } catch (IOException e) {
        throw new ConfigException("--out " + dir + " cannot be created: " + e.getMessage());
      }
    }
  }
}
