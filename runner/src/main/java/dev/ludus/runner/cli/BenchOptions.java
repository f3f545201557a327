package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import picocli.CommandLine.Option;

/**
 * The option blocks the {@code ludus bench} commands share, declared once as picocli mixins ({@code @Mixin}): the
 * environment a benchmark plays, its config, and the agent that plays it. Not thread-safe; picocli fills them.
 */
final class BenchOptions {
  private BenchOptions() {}

  /** Fails naming {@code option}, its range and its value when a given {@code value} is outside [min, max]. */
  static void inRange(String option, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new ConfigException(option + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /** {@code --env}, guess-number by default. */
  static final class Env {
    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String name;
  }

  /** {@code --env-config}. */
  static final class EnvConfig {
    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
    String config;
  }

  /** {@code --agent}, oracle by default. */
  static final class Agent {
    @Option(names = "--agent", defaultValue = "oracle", description = "Agent (default: ${DEFAULT-VALUE}).")
    String name;
  }
}
