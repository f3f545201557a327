package dev.ludus.runner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.Turn;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short {@code ludus train --cluster} with two worker JVMs: the learner publishes each iteration's policy version,
 * the workers play the iterations' episodes with it (every turn tagged with the version it was sampled from), and
 * the staleness in {@code metrics.jsonl} stays within {@code maxStaleness}.
 */
class ClusterTrainIT {
  @Test
  void workersPlayEachIterationWithThePublishedPolicyVersion(@TempDir Path dir) throws Exception {
    int base = LocalWorkers.freePortBlock(5);
    List<String> members = new ArrayList<>();
    for (int p = base; p < base + 5; p++) {
      members.add("127.0.0.1:" + p);
    }
    ClusterOptions options = new ClusterOptions("ludus-train-" + UUID.randomUUID(), members, "127.0.0.1", base, 0, 5);
    Path runs = dir.resolve("runs");
    try (LocalWorkers workers = LocalWorkers.start(2, options, 8, List.of("-Xmx512m", "-XX:+UseSerialGC"),
        dir.resolve("logs"))) {
      workers.awaitJoined(Duration.ofSeconds(120));
      int code = Ludus.run("train", "--config", "{model: {layers: 1, width: 16, heads: 2}, iterations: 3, "
              + "tasksPerIteration: 4, groupSize: 2, epochs: 1, miniBatches: 1, maxStaleness: 1, warmStartEpisodes: 0, "
              + "evalEpisodes: 2, checkpointEvery: 0, checkpointEveryMinutes: 0}",
          "--out", runs.toString(), "--no-progress", "--cluster", String.join(",", members), "--cluster-name",
          options.name(), "--cluster-port", String.valueOf(base), "--cluster-workers", "2", "--cluster-wait", "120000");
      assertEquals(0, code, workers.log(0) + workers.log(1));
      Path run;
      try (Stream<Path> dirs = Files.list(runs)) {
        run = dirs.findFirst().orElseThrow();
      }
      List<JsonNode> metrics = new ArrayList<>();
      for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
        metrics.add(Json.JSON.readTree(line));
      }
      assertTrue(metrics.size() >= 3, "a line per update: " + metrics);
      long previous = -1;
      int updates = 0;
      for (JsonNode m : metrics) {
        assertTrue(m.path("staleness").path("max").asLong() <= 1, "maxStaleness 1 holds: " + m);
        if (m.path("policyVersion").asLong() < 0) {
          continue; // an iteration without an update (every advantage zero)
        }
        assertTrue(m.path("policyVersion").asLong() > previous, "the policy version grows: " + m);
        previous = m.path("policyVersion").asLong();
        updates++;
      }
      assertTrue(updates >= 1, "at least one update: " + metrics);
      // the iterations' episodes were played by the workers, each with the version published for its iteration
      Set<Long> sampled = new TreeSet<>();
      for (Episode e : EpisodeReader.readAll(run.resolve("episodes.jsonl"))) {
        for (Turn t : e.turns()) {
          if (t.tokens() != null) {
            sampled.add(t.tokens().policyVersion());
          }
        }
      }
      Set<Long> published = new TreeSet<>();
      try (Stream<Path> versions = Files.list(run.resolve("policy"))) {
        versions.forEach(v -> published.add(Long.parseLong(v.getFileName().toString().substring(1))));
      }
      assertEquals(published, sampled, "every turn was sampled from a published version");
      if (metrics.get(0).path("policyVersion").asLong() >= 0) {
        assertTrue(published.size() >= 2, "the first iteration's update was published for a later one: " + published);
      }
      String logs = workers.log(0) + workers.log(1);
      for (int it = 0; it < 3; it++) {
        assertTrue(logs.contains("-it" + it + " ("), "a worker played iteration " + it + ":\n" + logs);
      }
    }
  }
}
