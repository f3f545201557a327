package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16, finding 2: a rollout could not be resumed. */
class RolloutResumeTest {

  private static Outcome ludus(String... args) {
    return CliRun.main(args);
  }

  private static final String[] ROLLOUT = {"rollout", "--env", "guess-number", "--agent", "random", "--episodes", "48",
      "--group-size", "4", "--concurrency", "8", "--seed", "5", "--no-progress", "--out"};

  private static Path rollout(Path out) throws Exception {
    List<String> args = new ArrayList<>(List.of(ROLLOUT));
    args.add(out.toString());
    Outcome o = ludus(args.toArray(String[]::new));
    assertEquals(0, o.code(), o.err());
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  /** How often each (task, task seed, episode seed) occurs. */
  private static Map<String, Integer> pairs(Path runDir) {
    Map<String, Integer> out = new TreeMap<>();
    for (Episode e : EpisodeReader.readAll(runDir.resolve("episodes.jsonl"))) {
      out.merge(e.task().id() + "/" + e.task().seed() + "/" + e.seed(), 1, Integer::sum);
    }
    return out;
  }

  @Test
  void rolloutResumeCompletesToExactlyTheEpisodesOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
    Path whole = rollout(dir.resolve("a"));
    Path killed = rollout(dir.resolve("b"));
    // as a kill leaves it: 17 whole lines (four groups of four and one episode of the fifth), then a torn line
    Path file = killed.resolve("episodes.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.writeString(file, String.join("\n", lines.subList(0, 17)) + "\n" + lines.get(17).substring(0, 40),
        StandardCharsets.UTF_8);
    Files.delete(killed.resolve("summary.json"));

    Outcome resumed = ludus("rollout", "--resume", killed.toString(), "--no-progress");

    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    List<Episode> episodes = EpisodeReader.readAll(file);
    assertEquals(48, episodes.size());
    assertEquals(48, new HashSet<>(episodes.stream().map(Episode::id).toList()).size());
    assertEquals(pairs(whole), pairs(killed));
    assertEquals(48, Json.JSON.readTree(killed.resolve("summary.json").toFile()).get("episodes").asInt());
  }

  @Test
  void resumingAFinishedRolloutPlaysNothingMore(@TempDir Path dir) throws Exception {
    Path run = rollout(dir.resolve("a"));
    List<String> before = Files.readAllLines(run.resolve("episodes.jsonl"));
    Outcome again = ludus("rollout", "--resume", run.toString(), "--no-progress");
    assertEquals(0, again.code(), again.err());
    assertEquals(before, Files.readAllLines(run.resolve("episodes.jsonl")));
  }

  @Test
  void resumeTakesTheRunsOwnConfigurationAndRefusesAnother(@TempDir Path dir) throws Exception {
    Path run = rollout(dir.resolve("a"));
    Outcome o = ludus("rollout", "--resume", run.toString(), "--episodes", "96");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--resume continues the run with its own configuration; do not pass --episodes"),
        o.err());
    Outcome none = ludus("rollout", "--resume", dir.resolve("nothing").toString());
    assertEquals(2, none.code());
    assertTrue(none.err().contains("is not a rollout's run directory"), none.err());
    Files.writeString(run.resolve("episodes.jsonl"), "{\"not\": \"an episode\"}\n", StandardOpenOption.APPEND);
    Outcome broken = ludus("rollout", "--resume", run.toString(), "--no-progress");
    assertEquals(1, broken.code(), broken.err());
    assertTrue(broken.err().contains("line 49"), broken.err());
  }
}
