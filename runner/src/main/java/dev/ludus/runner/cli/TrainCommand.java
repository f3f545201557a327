package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.runner.store.RunDirectory;
import dev.ludus.runner.train.Recipe;
import dev.ludus.runner.train.ResolvedConfig;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus train}: trains the in-process {@code djl-lm} policy by RL (see {@link Trainer}). {@code --env NAME}
 * trains any registered environment (a plugin's too) with the one {@link Recipe}; with no environment named it
 * runs the main job ({@link TrainConfig#embeddedDefault()}: the recipe on guess-number 1 to 8 in 4 guesses).
 * {@code --config} names a YAML file (or inline YAML) whose fields are laid over the recipe, field by field;
 * {@code --print-config} prints the resolved configuration with where each value came from, and trains nothing.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the in-process djl-lm policy by RL on any environment with one recipe (no arguments: the "
        + "main job, guess-number 1 to 8).")
public class TrainCommand implements Callable<Integer> {
  @Option(names = "--env", paramLabel = "NAME", description = "The environment to train on (./ludus list envs; a "
      + "plugin's too); every field the config file leaves out comes from the recipe for it.")
  String env;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON",
      description = "The environment's settings (a file or inline), over its defaults and the config file's envConfig.")
  String envConfig;

  @Option(names = "--print-config", description = "Print the resolved configuration, with where each value came "
      + "from (recipe rule, main job, config file, command line, plugin default), and train nothing.")
  boolean printConfig;

  @Option(names = "--config", paramLabel = "FILE", description = "Training config: a YAML/JSON file or inline YAML "
      + "laid over the recipe field by field "
      + "(fields: env, envConfig, model, shaping, estimator, estimatorConfig, learner, iterations, tasksPerIteration, "
      + "groupSize, dynamicSampling, epochs, miniBatches, maxStaleness, warmStartEpisodes, warmStartSteps, "
      + "warmStartAccuracy, warmStartLoss, warmStartTarget, evalEpisodes, evalTemperature, checkpointEvery, "
      + "checkpointEveryMinutes, concurrency, seed).")
  String config;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its newest "
      + "checkpoint, with its config.yaml (--iterations may extend it); what was written after that checkpoint is "
      + "dropped and played again.")
  Path resume;

  @Option(names = "--shaping", paramLabel = "FILE",
      description = "Reward shaping (a YAML/JSON file or inline), overriding the config's shaping.")
  String shaping;

  @Option(names = "--iterations", paramLabel = "N", description = "Override the number of iterations (rollouts then updates).")
  Integer iterations;

  @Option(names = "--seed", paramLabel = "N", description = "Override the run seed.")
  Long seed;

  @Option(names = "--device", paramLabel = "DEVICE", description = "Model device: auto, cpu, gpu or gpu:N.")
  String device;

  @Option(names = "--no-progress", description = "No live progress bar (it only shows on a terminal anyway).")
  boolean noProgress;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Parent of the run directories.")
  Path out;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics while training.")
  Integer metricsPort;

  private LiveMetrics live;

  @Option(names = "--max-failure-rate", defaultValue = "0.05", paramLabel = "P", description = "Over the training "
      + "episodes: " + RunVerdict.DESCRIPTION)
  double maxFailureRate;

  /** The training episodes played and failed, counted as they finish. */
  private final java.util.concurrent.atomic.LongAdder played = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();

  @Mixin ClusterFlags cluster;

  @Option(names = "--cluster-wait", defaultValue = "10000", paramLabel = "MS",
      description = "With --cluster: how long to wait for workers before training; with none, the episodes play "
          + "here (default: ${DEFAULT-VALUE}).")
  long clusterWait;

  @Option(names = "--cluster-workers", defaultValue = "1", paramLabel = "N",
      description = "With --cluster: the workers to wait for (default: ${DEFAULT-VALUE}).")
  int clusterWorkers;

  @Option(names = "--lease-timeout", defaultValue = "630000", paramLabel = "MS",
      description = "With --cluster: how long a worker's lease may take before its episodes are handed out again "
          + "(default: ${DEFAULT-VALUE}).")
  long leaseTimeout;

  /** Cluster mode's publisher of policy versions, open while a run trains; or null. */
  private dev.ludus.runner.cluster.PolicyPublisher publisher;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    RunVerdict.check(maxFailureRate);
    if (resume != null && config != null) {
      throw new ConfigException("--resume uses the run's own config.yaml; do not pass --config too");
    }
    if (resume != null && shaping != null) {
      throw new ConfigException("--resume uses the run's own shaping; do not pass --shaping too");
    }
    if (resume != null && (env != null || envConfig != null)) {
      throw new ConfigException("--resume uses the run's own environment; do not pass --env or --env-config too");
    }
    ObjectNode commandLine = Json.YAML.createObjectNode();
    if (shaping != null) {
      String text = PluginConfigs.sourceText(shaping, "shaping", "");
      ShapingSpec.read(text); // fails early, naming what is wrong
      commandLine.set("shaping", Json.YAML.readTree(text));
    }
    if (iterations != null) {
      commandLine.put("iterations", iterations);
    }
    if (seed != null) {
      commandLine.put("seed", seed);
    }
    ResolvedConfig resolved = Recipe.resolve(services.registry(), new Recipe.Request(env, envConfig,
        resume != null ? resume.resolve("config.yaml").toString() : config, commandLine));
    TrainConfig c = resolved.config();
    if (printConfig) {
      new Trainer(services.registry(), c, device, w).validate();
      w.print(resolved.describe(services.registry()));
      w.flush();
      return 0;
    }
    try (LiveMetrics started = LiveMetrics.start(metricsPort, c.env(), w)) {
      live = started;
      return train(c, w);
    }
  }

  private int train(TrainConfig c, PrintWriter w) throws Exception {
    if (resume != null) {
      w.println("ludus train: resuming " + resume);
      w.flush();
      try (TrainProgress bar = progress(c, Trainer.resumeIteration(resume))) {
        startCluster(resume);
        trainer(c, w, bar).resume(resume);
      } finally {
        stopCluster(w);
      }
      return verdict();
    }
    new Trainer(services.registry(), c, device, w).validate();
    RunDirectory dir = RunDirectory.create(out, "train-" + c.env());
    String how = c.algorithm() == dev.ludus.runner.train.TrainConfig.Algorithm.PPO ? c.estimator()
        : c.algorithm().name().toLowerCase(java.util.Locale.ROOT);
    w.println("ludus train: " + c.env() + ", " + how + ", " + c.iterations() + " iterations of "
        + c.tasksPerIteration() + " tasks x " + c.groupSize() + " episodes; run directory " + dir.path());
    w.flush();
    try (TrainProgress bar = progress(c, 0)) {
      startCluster(dir.path());
      trainer(c, w, bar).run(dir.path());
    } finally {
      stopCluster(w);
    }
    return verdict();
  }

  /** With --cluster: joins as the training run's coordinator, policy versions under RUN_DIR/policy. */
  private void startCluster(Path runDirectory) throws InterruptedException {
    dev.ludus.runner.cluster.ClusterOptions options = cluster.options();
    if (options == null) {
      return;
    }
    if (clusterWait < 0 || clusterWorkers < 0 || leaseTimeout < 1) {
      throw new IllegalArgumentException("--cluster-wait and --cluster-workers must not be negative and "
          + "--lease-timeout must be at least 1 ms");
    }
    publisher = dev.ludus.runner.cluster.PolicyPublisher.start(options, services.registry(),
        runDirectory.resolve("policy"), device, leaseTimeout, clusterWait, clusterWorkers,
        new java.io.PrintStream(System.err, true, java.nio.charset.StandardCharsets.UTF_8));
  }

  private void stopCluster(PrintWriter w) {
    if (publisher != null) {
      w.println("cluster: " + publisher.stats().progressLine());
      w.flush();
      publisher.close();
      publisher = null;
    }
  }

  /** 0, or 1 with a line on standard error when the training episodes failed too often (see {@link RunVerdict}). */
  private int verdict() {
    String failure = RunVerdict.failure(0, played.sum(), failed.sum(), maxFailureRate);
    if (failure == null) {
      return 0;
    }
    spec.commandLine().getErr().println("ludus train: the run did not pass: " + failure + " (training episodes)");
    spec.commandLine().getErr().flush();
    return 1;
  }

  /** The live bar over the training episodes from iteration {@code first} on, or null off a terminal. */
  private TrainProgress progress(TrainConfig c, int first) {
    int perIteration = c.tasksPerIteration() * c.groupSize();
    return TrainProgress.startIfTerminal((long) Math.max(0, c.iterations() - first) * perIteration, perIteration,
        new java.io.PrintStream(System.err, true, java.nio.charset.StandardCharsets.UTF_8), !noProgress);
  }

  private Trainer trainer(TrainConfig c, PrintWriter w, TrainProgress bar) {
    PrintWriter lines = bar == null ? w : bar.lines(w);
    dev.ludus.runner.runtime.EpisodeListener count = e -> {
      played.increment();
      if (e.status() == dev.ludus.api.EpisodeStatus.FAILED) {
        failed.increment();
      }
      if (bar != null) {
        bar.onEpisode(e);
      }
    };
    Trainer trainer = new Trainer(services.registry(), c, device, lines,
        live != null ? live.metrics().alongside(count) : count);
    return publisher == null ? trainer : trainer.onCluster(publisher);
  }
}
