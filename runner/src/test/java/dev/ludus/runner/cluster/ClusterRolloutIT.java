package dev.ludus.runner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.Episode;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator ({@code ludus rollout --cluster}, in this JVM) and three worker JVMs ({@code ludus worker}) on
 * loopback play episodes of an agent behind the mock OpenAI server (a fixed latency per turn, so that episodes are in
 * flight on every worker); one worker is killed with SIGKILL half-way. Exactly the run's episodes are stored, each
 * once, and the summary tells which matches were handed out again.
 */
class ClusterRolloutIT {
  private static final int EPISODES = 60;
  private static final String PASSWORD = "ludus-test-only";

  /** A self-signed key pair for every node, and a trust store holding its certificate (JDK keytool). */
  private static void testCertificate(Path keyStore, Path trustStore) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path cert = keyStore.resolveSibling("node.cer");
    keytool(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
        "CN=ludus-test", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass",
        PASSWORD, "-keypass", PASSWORD);
    keytool(keytool, "-exportcert", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    keytool(keytool, "-importcert", "-noprompt", "-alias", "node", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", trustStore.toString(), "-storepass", PASSWORD);
  }

  private static void keytool(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
  }

  @Test
  void aWorkerKilledHalfWayCostsNoEpisode(@TempDir Path dir) throws Exception {
    int base = LocalWorkers.freePortBlock(6);
    List<String> members = new ArrayList<>();
    for (int p = base; p < base + 6; p++) {
      members.add("127.0.0.1:" + p);
    }
    // the event bus speaks mutual TLS: every node presents the test certificate and trusts only it
    Path keyStore = dir.resolve("node.p12");
    Path trustStore = dir.resolve("trust.p12");
    testCertificate(keyStore, trustStore);
    System.setProperty(ClusterOptions.TLS_PASSWORD_PROPERTY, PASSWORD);
    ClusterOptions options = new ClusterOptions("ludus-test-" + UUID.randomUUID(), members, "127.0.0.1", base, 0, 3,
        keyStore.toString(), trustStore.toString());
    Path runs = dir.resolve("runs");
    try (MockOpenAiServer server = MockOpenAiServer.builder().latencyMillis(150).recordRequests(false).start();
        LocalWorkers workers = LocalWorkers.start(3, options, 4,
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), dir.resolve("logs"));
        // a fourth worker, in this JVM, whose registry has no environments: it must refuse the run, not diverge
        RolloutWorker bare = RolloutWorker.start(options, Registry.load(new WithoutEnvironments()), "bare", 4,
            System.err)) {
      CompletableFuture<Integer> coordinator = CompletableFuture.supplyAsync(() -> Ludus.run("rollout",
          "--env", "guess-number", "--env-config", "{low: 1, high: 100, maxTurns: 5}",
          "--agent", "openai", "--agent-config", "{baseUrl: '" + server.baseUrl() + "', maxRetries: 0}",
          "--episodes", String.valueOf(EPISODES), "--group-size", "2", "--concurrency", "12", "--seed", "5",
          "--out", runs.toString(), "--no-progress",
          "--cluster", String.join(",", members), "--cluster-name", options.name(), "--cluster-port",
          String.valueOf(base), "--cluster-heartbeat-timeout", "3", "--cluster-tls-keystore", keyStore.toString(),
          "--cluster-tls-truststore", trustStore.toString(), "--cluster-workers", "4", "--cluster-wait", "90000",
          "--lease-timeout", "5000"));
      workers.awaitJoined(Duration.ofSeconds(90));
      Path episodesFile = awaitRunFile(runs, coordinator);
      // half-way: kill worker-1, which holds leases (every worker has four matches in flight at concurrency 12)
      while (lines(episodesFile) < EPISODES / 2 && !coordinator.isDone()) {
        Thread.sleep(10);
      }
      assertTrue(!coordinator.isDone(), "the run was still going when the worker was killed");
      workers.kill(0);
      int code = coordinator.get(120, TimeUnit.SECONDS);
      assertEquals(0, code, "the run passed:\n" + workers.log(1));

      List<Episode> stored = EpisodeReader.readAll(episodesFile);
      String runId = episodesFile.getParent().getFileName().toString();
      Set<String> ids = stored.stream().map(Episode::id).collect(Collectors.toCollection(TreeSet::new));
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < EPISODES; i++) {
        expected.add(runId + "-" + i);
      }
      assertEquals(EPISODES, stored.size(), "one line per episode, none twice");
      assertEquals(expected, ids, "every episode of the run, none lost");

      JsonNode cluster = Json.JSON.readTree(episodesFile.resolveSibling("summary.json").toFile()).path("cluster");
      assertEquals(4, cluster.path("workers").size(), cluster.toString());
      JsonNode killed = null;
      JsonNode refused = null;
      long byWorkers = 0;
      for (JsonNode w : cluster.path("workers")) {
        byWorkers += w.path("episodes").asLong();
        if (w.path("name").asText().equals("worker-1")) {
          killed = w;
        }
        if (w.path("name").asText().equals("bare")) {
          refused = w;
        }
      }
      assertEquals(0, bare.played(), "the worker that refused the run played none of it");
      assertTrue(refused != null && refused.path("refused").asText().contains("guess-number")
          && refused.path("episodes").asLong() == 0, "the worker without the environment refused, naming it: "
          + cluster);
      assertTrue(killed != null && killed.path("episodes").asLong() > 0, "worker-1 played before it died: " + cluster);
      assertTrue(cluster.path("released").asLong() > 0, "its unfinished matches were handed out again: " + cluster);
      assertTrue(killed.path("departed").asBoolean() || cluster.path("expiredLeases").asLong() > 0,
          "the coordinator noticed: " + cluster);
      assertEquals(EPISODES - cluster.path("playedHere").asLong(), byWorkers,
          "every match stored was played by a worker (or here, counted): " + cluster);
    }
  }

  /** A class loader that hides every registered environment (a worker without the run's plugin). */
  private static final class WithoutEnvironments extends ClassLoader {
    WithoutEnvironments() {
      super(ClusterRolloutIT.class.getClassLoader());
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
      if (name.equals("META-INF/services/" + EnvironmentProvider.class.getName())) {
        return java.util.Collections.emptyEnumeration();
      }
      return super.getResources(name);
    }
  }

  private static Path awaitRunFile(Path runs, CompletableFuture<Integer> coordinator) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end) {
      if (Files.isDirectory(runs)) {
        try (Stream<Path> dirs = Files.list(runs)) {
          Path file = dirs.map(d -> d.resolve("episodes.jsonl")).filter(Files::exists).findFirst().orElse(null);
          if (file != null) {
            return file;
          }
        }
      }
      if (coordinator.isDone()) {
        throw new IllegalStateException("the coordinator ended before its run began: " + coordinator.get());
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no run directory in " + runs);
  }

  private static long lines(Path file) throws Exception {
    try (Stream<String> s = Files.lines(file)) {
      return s.count();
    }
  }
}
