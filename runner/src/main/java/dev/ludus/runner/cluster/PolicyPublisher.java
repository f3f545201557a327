package dev.ludus.runner.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.runtime.MatchPlayer;
import dev.ludus.runner.runtime.RolloutOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A trainer's side of a cluster: before each iteration's rollout it publishes the policy as a checkpoint directory
 * tagged with its version ({@code policy/v<N>} under the run directory, which every node must be able to read: the
 * same path on a shared file system, or one machine), and leases the iteration's episodes to workers whose
 * {@code djl-lm} agent loads that checkpoint, so every turn a worker samples carries the version it came from. A new
 * version is a new run description: a worker builds the iteration's agent from it (a hot swap by reload).
 *
 * <p>Not thread-safe: one trainer thread publishes. Life-cycle: {@link #start}, then {@link #close}.
 */
public final class PolicyPublisher implements AutoCloseable {
  private final RolloutCoordinator coordinator;
  private final Path root;
  private final String device;
  private final PrintStream log;
  private long lastVersion = -1;

  private PolicyPublisher(RolloutCoordinator coordinator, Path root, String device, PrintStream log) {
    this.coordinator = coordinator;
    this.root = root;
    this.device = device;
    this.log = log;
  }

  /**
   * Joins the cluster as the coordinator of a training run whose policy versions go under {@code root}; waits up to
   * {@code waitMillis} for {@code workers} workers.
   */
  public static PolicyPublisher start(ClusterOptions options, Registry registry, Path root, String device,
      long leaseTimeoutMillis, long waitMillis, int workers, PrintStream log) throws InterruptedException {
    RolloutCoordinator coordinator = Coordinator.start(options, registry, null, leaseTimeoutMillis, log);
    try {
      int joined = coordinator.awaitWorkers(workers, waitMillis);
      log.println(joined == 0 ? "ludus train: no worker joined cluster '" + options.name() + "' within " + waitMillis
          + " ms: the episodes play here (local execution)"
          : "ludus train: " + joined + " worker(s) in cluster '" + options.name() + "'");
      return new PolicyPublisher(coordinator, root, device, log);
    } catch (InterruptedException | RuntimeException e) {
      coordinator.close();
      throw e;
    }
  }

  /**
   * Publishes {@code policy} (with its tokenizer) at its current version, unless that version is out already, and
   * describes run {@code runId} to the workers: environment {@code env}, agent {@code djl-lm} with {@code agentConfig}
   * (its tokenizer sources replaced by the checkpoint's own). Returns the player for the run.
   */
  public MatchPlayer publish(String runId, BoundEnvironment env, RolloutOptions options, Object agentConfig,
      TrainablePolicy policy, LmTokenizer tokenizer) {
    long version = policy.version();
    Path dir = root.resolve("v" + version);
    if (version != lastVersion && !Files.isDirectory(dir)) {
      long started = System.nanoTime();
      Path tmp = root.resolve("v" + version + ".tmp");
      try {
        deleteTree(tmp);
        policy.save(tmp);
        tokenizer.save(tmp.resolve(LmTokenizer.FILE_NAME));
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE); // a worker never reads half a version
        log.println(String.format(Locale.ROOT, "ludus train: published policy version %d (%d KiB in %.0f ms) at %s",
            version, size(dir) / 1024, (System.nanoTime() - started) / 1e6, dir));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot publish the policy to " + dir, e);
      }
    }
    lastVersion = version;
    ObjectNode config = Json.JSON.valueToTree(agentConfig);
    for (String source : new String[] {"vocabulary", "vocabularyFile", "tokenizerJson", "bpe"}) {
      config.putNull(source); // the checkpoint's own tokenizer: no BPE corpus in every lease
    }
    config.put("checkpoint", dir.toAbsolutePath().toString());
    coordinator.describe(new RolloutDescription(runId, env.name(), Json.JSON.valueToTree(env.config()), "djl-lm",
        config, null, options, device, null));
    return coordinator;
  }

  public ClusterStats stats() {
    return coordinator.stats();
  }

  public String progressLine() {
    return coordinator.progressLine();
  }

  @Override
  public void close() {
    coordinator.close();
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
