package dev.ludus.runner.cli;

import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus rollout}: plays episodes of an environment with an agent into a new run directory; in a multi-agent
 * environment, matches with one agent per seat ({@code --agent} in every seat, or {@code --seat-agent} for some).
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Play episodes of an environment with an agent and store them in a run directory.")
public class RolloutCommand implements Callable<Integer> {
  @Option(names = "--env", paramLabel = "NAME", description = "Environment name (ludus list envs); required unless "
      + "--resume.")
  String env;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config: a file or inline.")
  String envConfig;

  @Option(names = "--agent", defaultValue = "random", paramLabel = "NAME",
      description = "Agent name (ludus list agents; default: ${DEFAULT-VALUE}).")
  String agent;

  @Option(names = "--agent-config", paramLabel = "YAML-or-JSON", description = "Agent config: a file or inline.")
  String agentConfig;

  @Option(names = "--seat-agent", paramLabel = "SEAT=AGENT",
      description = "In a multi-agent environment, the agent of one seat (repeatable), e.g. bob=bot:greedy or "
          + "bob=djl-lm; seats not named play --agent (self-play).")
  Map<String, String> seatAgents = new LinkedHashMap<>();

  @Option(names = "--seat-agent-config", paramLabel = "SEAT=YAML-or-JSON",
      description = "The config of one seat's agent: a file or inline (repeatable), e.g. 'bob=checkpoint: DIR'.")
  Map<String, String> seatAgentConfigs = new LinkedHashMap<>();

  @Option(names = "--episodes", defaultValue = "100",
      description = "Episodes to play; matches in a multi-agent environment, each giving one episode per seat "
          + "(default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", defaultValue = "64",
      description = "Episodes in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--seed", defaultValue = "0", description = "Run seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR",
      description = "Parent of the run directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--turn-timeout", defaultValue = "300000", paramLabel = "MS",
      description = "Time limit of one agent answer or environment step, ms (default: ${DEFAULT-VALUE}).")
  long turnTimeout;

  @Option(names = "--episode-timeout", defaultValue = "600000", paramLabel = "MS",
      description = "Time limit of one episode, ms (default: ${DEFAULT-VALUE}).")
  long episodeTimeout;

  @Option(names = "--shaping", paramLabel = "FILE",
      description = "Reward shaping: a YAML/JSON file or inline (default: the environment's reward, 'outcome').")
  String shaping;

  @Option(names = "--llm", paramLabel = "YAML-or-JSON",
      description = "Named chat endpoints for the run's plugins (a file or inline), e.g. "
          + "'{judge: {baseUrl: http://127.0.0.1:8000/v1, model: m}}'; one shared client per endpoint.")
  String llm;

  @Option(names = "--group-size", defaultValue = "1", paramLabel = "G",
      description = "Episodes per task, scored together by group transforms (default: ${DEFAULT-VALUE}).")
  int groupSize;

  @Option(names = "--device", paramLabel = "auto|cpu|gpu|gpu:N",
      description = "Where an in-process model runs (djl-lm): auto (GPU when DJL finds one), cpu, gpu or gpu:N.")
  String device;

  @Option(names = "--no-progress", negatable = false, description = "Do not show the progress display.")
  boolean noProgress;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics while the run lasts.")
  Integer metricsPort;

  @Option(names = "--resume", paramLabel = "RUN_DIR",
      description = "Continue the rollout in RUN_DIR to its episode count, with the configuration and seeds its "
          + "config.yaml records: groups of episodes already stored are kept (failed ones as recorded), the others "
          + "play. Takes no configuration options.")
  Path resume;

  @Option(names = "--stop-grace", defaultValue = "10000", paramLabel = "MS",
      description = "After SIGTERM or Ctrl-C, how long episodes in flight get to finish before they are cut; the "
          + "summary is then written (default: ${DEFAULT-VALUE}).")
  long stopGrace;

  /** The options that --resume refuses: the run's configuration comes from its directory. */
  private static final List<String> RESUME_CONFLICTS = List.of("--env", "--env-config", "--agent", "--agent-config",
      "--seat-agent", "--seat-agent-config", "--episodes", "--concurrency", "--seed", "--out", "--turn-timeout",
      "--episode-timeout", "--shaping", "--llm", "--group-size", "--device");

  @Option(names = "--max-failure-rate", defaultValue = "0.05", paramLabel = "P", description = RunVerdict.DESCRIPTION)
  double maxFailureRate;

  @Mixin ClusterFlags cluster;

  @Option(names = "--lease-timeout", paramLabel = "MS",
      description = "With --cluster: how long a worker's lease may take before its unfinished episodes are handed out "
          + "again (default: the episode timeout plus 30 s).")
  Long leaseTimeout;

  @Option(names = "--cluster-wait", defaultValue = "10000", paramLabel = "MS",
      description = "With --cluster: how long to wait for workers before the first episode; with none, the episodes "
          + "play here (default: ${DEFAULT-VALUE}).")
  long clusterWait;

  @Option(names = "--cluster-workers", defaultValue = "1", paramLabel = "N",
      description = "With --cluster: the workers to wait for (up to --cluster-wait) before starting (default: "
          + "${DEFAULT-VALUE}).")
  int clusterWorkers;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    RunVerdict.check(maxFailureRate);
    if (stopGrace < 0 || stopGrace > 3_600_000) {
      throw new IllegalArgumentException("--stop-grace must be between 0 and 3600000 ms, was " + stopGrace);
    }
    RolloutJob.ClusterRun clusterRun = clusterRun();
    RolloutJob.Result result;
    if (resume != null) {
      List<String> given = RESUME_CONFLICTS.stream()
          .filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
      if (!given.isEmpty()) {
        throw new IllegalArgumentException("--resume continues the run with its own configuration; do not pass "
            + String.join(", ", given) + " too");
      }
      result = RolloutJob.resume(services.registry(), resume, !noProgress, stopGrace,
          spec.commandLine().getOut(), new PrintStream(System.err, true, StandardCharsets.UTF_8), clusterRun);
    } else {
      if (env == null) {
        throw new IllegalArgumentException("name an environment with --env NAME (ludus list envs), or continue a run "
            + "with --resume RUN_DIR");
      }
      try (LiveMetrics live = LiveMetrics.start(metricsPort, env, spec.commandLine().getOut())) {
        result = RolloutJob.run(services.registry(),
            new RolloutJob.Spec(env, envConfig, agent, agentConfig, episodes, concurrency, seed, turnTimeout,
                episodeTimeout, out, !noProgress, shaping, groupSize, device, seatAgents, seatAgentConfigs, llm),
            spec.commandLine().getOut(), new PrintStream(System.err, true, StandardCharsets.UTF_8), stopGrace,
            live == null ? null : live.metrics(), clusterRun);
      }
    }
    String failure = RunVerdict.failure(result.expectedEpisodes(), result.summary().episodes(),
        result.summary().failed(), maxFailureRate);
    if (failure != null) {
      spec.commandLine().getErr().println("ludus rollout: the run did not pass: " + failure);
      spec.commandLine().getErr().flush();
      return 1;
    }
    return 0;
  }

  /** The cluster part of the run, or null without --cluster. */
  private RolloutJob.ClusterRun clusterRun() {
    dev.ludus.runner.cluster.ClusterOptions options = cluster.options();
    if (options == null) {
      if (leaseTimeout != null) {
        throw new IllegalArgumentException("--lease-timeout applies with --cluster only");
      }
      return null;
    }
    if (clusterWait < 0 || clusterWorkers < 0) {
      throw new IllegalArgumentException("--cluster-wait and --cluster-workers must not be negative, were "
          + clusterWait + " and " + clusterWorkers);
    }
    long lease = leaseTimeout != null ? leaseTimeout : episodeTimeout + 30_000;
    if (lease < 1) {
      throw new IllegalArgumentException("--lease-timeout must be at least 1 ms, was " + lease);
    }
    return new RolloutJob.ClusterRun(options, lease, clusterWait, clusterWorkers);
  }
}
