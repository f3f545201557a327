package dev.ludus.runner.cli;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus train}: the main job. The RL learner has not landed yet, so for now it says so and runs the
 * embedded default's rollouts: the random agent (the untrained baseline) and the oracle (the ceiling) on
 * the same held-out seeds, and prints both success rates.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an agent (for now: rollouts of the embedded default; the learner lands later).")
public class TrainCommand implements Callable<Integer> {
  @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
  String envConfig;

  @Option(names = "--episodes", defaultValue = "500", description = "Episodes per agent (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "0", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Parent of the run directories.")
  Path out;

  @Option(names = "--shaping", paramLabel = "FILE", description = "Reward shaping: a YAML/JSON file or inline.")
  String shaping;

  @Option(names = "--no-progress", description = "Do not show the progress display.")
  boolean noProgress;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    w.println("ludus train: the RL learner has not landed yet, so this runs rollouts of the embedded default"
        + " (" + env + "): the random agent as the untrained baseline and the oracle as the ceiling.");
    w.flush();
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    RolloutJob.Result random = RolloutJob.run(services.registry(), new RolloutJob.Spec(env, envConfig, "random", null,
        episodes, 64, seed, 30_000, 600_000, out, !noProgress, shaping, 1, null), w, err);
    RolloutJob.Result oracle = RolloutJob.run(services.registry(), new RolloutJob.Spec(env, envConfig, "oracle", null,
        episodes, 64, seed, 30_000, 600_000, out, !noProgress, shaping, 1, null), w, err);
    w.printf(Locale.ROOT, "success rate on %d seeds: random %.3f, oracle %.3f%n", episodes,
        random.summary().successRate(), oracle.summary().successRate());
    w.flush();
    return 0;
  }
}
