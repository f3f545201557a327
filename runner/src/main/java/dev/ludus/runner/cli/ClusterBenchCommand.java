package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.bench.MockServerProcess;
import dev.ludus.runner.cluster.ClusterOptions;
import dev.ludus.runner.cluster.LocalWorkers;
import dev.ludus.runner.config.Json;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus bench cluster}: episodes/s of {@code ludus rollout --cluster} with 1, 2, 3... worker JVMs on loopback
 * against a slow agent (the mock OpenAI server, in a process of its own, at a fixed latency per turn), as a ratio to
 * Little's law for the total concurrency ({@code workers × concurrency / (turns × latency)}); and what the event bus
 * costs per episode: bytes through the coordinator, CPU time in its codecs, and the CPU time of the coordinator and
 * of the workers. The agent's latency, not the CPU, bounds these runs, so on a small machine the scaling measured is
 * latency-bound scaling.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Episodes/s of rollout --cluster with 1..N worker JVMs against the mock OpenAI server at a fixed "
        + "latency, as a ratio to Little's law, and the event bus's bytes and CPU per episode.")
public class ClusterBenchCommand implements Callable<Integer> {
  @Option(names = "--workers", defaultValue = "3", description = "Measure with 1 up to this many worker JVMs "
      + "(default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--concurrency", defaultValue = "16", description = "Episodes in flight per worker (default: "
      + "${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--episodes", defaultValue = "240", description = "Episodes per worker per measurement (default: "
      + "${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--latency", defaultValue = "100", paramLabel = "MS",
      description = "The mock server's latency per turn (default: ${DEFAULT-VALUE}).")
  long latency;

  @Option(names = "--turns", defaultValue = "4", description = "Turns per episode (guess-number's maxTurns; the "
      + "mock's echo never guesses right) (default: ${DEFAULT-VALUE}).")
  int turns;

  @Spec CommandSpec spec;
  @Inject LudusServices services;

  /** One measurement. */
  record Row(int workers, int concurrency, long episodes, double seconds, double bound, double bytesPerEpisode,
      double codecMicrosPerEpisode, double coordinatorCpuMicrosPerEpisode, double workerCpuMicrosPerEpisode) {
    double perSecond() {
      return episodes / seconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || workers > 16 || concurrency < 1 || episodes < 1 || latency < 1 || turns < 1) {
      throw new IllegalArgumentException("--workers must be 1..16 and --concurrency, --episodes, --latency, --turns "
          + "at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    Path work = Files.createTempDirectory("ludus-bench-cluster-");
    int base = LocalWorkers.freePortBlock(workers + 3);
    List<String> members = new ArrayList<>();
    for (int p = base; p < base + workers + 3; p++) {
      members.add("127.0.0.1:" + p);
    }
    ClusterOptions options = new ClusterOptions("ludus-bench-" + UUID.randomUUID(), members, "127.0.0.1", base, 0,
        ClusterOptions.DEFAULT_HEARTBEAT_TIMEOUT_SECONDS);
    List<Row> rows = new ArrayList<>();
    MockServerProcess mock = MockServerProcess.start(latency, List.of());
    List<LocalWorkers> started = new ArrayList<>();
    try {
      String baseUrl = mock.baseUrl();
      for (int k = 1; k <= workers; k++) {
        // one more worker JVM per step; those started before stay in the cluster
        started.add(LocalWorkers.start(1, k, options, concurrency, List.of("-Xmx256m", "-XX:+UseSerialGC"),
            work.resolve("logs-" + k)));
        started.get(k - 1).awaitJoined(Duration.ofSeconds(180));
        measure(k, baseUrl, options, work, err, started, true); // warm-up: JIT, connections, the run's first build
        rows.add(measure(k, baseUrl, options, work, err, started, false));
        Row r = rows.get(rows.size() - 1);
        err.println(String.format(Locale.ROOT, "%d worker(s): %.1f episodes/s", k, r.perSecond()));
      }
    } finally {
      for (LocalWorkers w : started) {
        w.close();
      }
      mock.close();
    }
    out.println(String.format(Locale.ROOT, "ludus bench cluster: guess-number (%d turns) x openai agent against the "
        + "mock server at %d ms per turn; %d in flight per worker; load average %s", turns, latency, concurrency,
        loadAverage()));
    out.println("workers  in-flight  episodes  seconds  episodes/s  little-bound  ratio  scaling  bus-bytes/ep  "
        + "codec-us/ep  coordinator-cpu-us/ep  worker-cpu-us/ep");
    for (Row r : rows) {
      out.println(String.format(Locale.ROOT, "%7d  %9d  %8d  %7.2f  %10.1f  %12.1f  %5.2f  %7.2f  %12.0f  %11.0f  "
          + "%21.0f  %16.0f", r.workers(), r.concurrency(), r.episodes(), r.seconds(), r.perSecond(), r.bound(),
          r.perSecond() / r.bound(), r.perSecond() / rows.get(0).perSecond(), r.bytesPerEpisode(),
          r.codecMicrosPerEpisode(), r.coordinatorCpuMicrosPerEpisode(), r.workerCpuMicrosPerEpisode()));
    }
    out.println("little-bound: in-flight / (turns x latency), the most any runner reaches; scaling: episodes/s over "
        + "the one-worker run's. The latency bounds these runs, not the CPU (on 2 cores the CPU could not scale).");
    out.println("runs under: " + work);
    out.flush();
    return 0;
  }

  private Row measure(int k, String baseUrl, ClusterOptions options, Path work, PrintStream err,
      List<LocalWorkers> started, boolean warmUp) throws Exception {
    int inFlight = k * concurrency;
    int count = warmUp ? inFlight * 2 : episodes * k;
    long workerCpuBefore = workerCpuNanos(started);
    long cpuBefore = ownCpuNanos();
    RolloutJob.Result result = RolloutJob.run(services.registry(),
        new RolloutJob.Spec("guess-number", "{low: 1, high: 1000000, maxTurns: " + turns + "}", "openai",
            "{baseUrl: '" + baseUrl + "', maxRetries: 0}", count, inFlight, k, 120_000, 600_000,
            work.resolve(warmUp ? "warm-up" : "runs"), false, null, 1, null),
        new PrintWriter(PrintWriter.nullWriter()), err, RolloutJob.DEFAULT_STOP_GRACE_MILLIS, null,
        new RolloutJob.ClusterRun(options, 300_000, 180_000, k));
    long cpu = ownCpuNanos() - cpuBefore;
    long workerCpu = workerCpuNanos(started) - workerCpuBefore;
    JsonNode cluster = Json.JSON.readTree(result.directory().summary().toFile()).path("cluster");
    long n = result.summary().episodes();
    return new Row(k, inFlight, n, result.summary().wallSeconds(), inFlight / (turns * latency / 1000.0),
        (cluster.path("bytesIn").asDouble() + cluster.path("bytesOut").asDouble()) / n,
        cluster.path("codecMicros").asDouble() / n, cpu / 1000.0 / n, workerCpu / 1000.0 / n);
  }

  private static long workerCpuNanos(List<LocalWorkers> started) {
    long sum = 0;
    for (LocalWorkers w : started) {
      sum += w.cpu(0).toNanos();
    }
    return sum;
  }

  private static long ownCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
