package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.runner.config.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, findings 6 and 9: runs in which (too many) episodes failed exit 1, and each bad input gets one line
 * on standard error, exit code 2, and nothing on disk.
 */
class ExitCodesAndBadInputTest {

  private static Outcome ludus(String... args) {
    return CliRun.main(args);
  }

  private static String[] rollout(Path dir, String... more) {
    List<String> args = new ArrayList<>(List.of("rollout", "--env", "guess-number", "--episodes", "20",
        "--concurrency", "20", "--no-progress", "--out", dir.toString()));
    if (!Arrays.asList(more).contains("--env-config")) {
      args.addAll(List.of("--env-config", "{low: 1, high: 8, maxTurns: 3}"));
    }
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  private static String openai(String baseUrl) {
    return "{baseUrl: \"" + baseUrl + "\", model: m, apiKeyEnv: LUDUS_TEST_NO_SUCH_KEY, maxRetries: 1, "
        + "backoffBaseMillis: 1, backoffMaxMillis: 5}";
  }

  private static List<Path> runDirectories(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static void assertBadInput(Outcome o, String... mentions) {
    assertEquals(2, o.code(), o.out() + o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    for (String m : mentions) {
      assertTrue(o.err().contains(m), "'" + m + "' in: " + o.err());
    }
  }

  // ---- finding 6: exit codes ----

  @Test
  void aRolloutWithNoServerRunningWhereEveryEpisodeFailsExitsOne(@TempDir Path dir) throws Exception {
    String baseUrl;
    try (MockOpenAiServer gone = MockOpenAiServer.start()) {
      baseUrl = gone.baseUrl();
    }
    Outcome o = ludus(rollout(dir.resolve("runs"), "--agent", "openai", "--agent-config", openai(baseUrl)));
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("ludus rollout: the run did not pass: all 20 episodes failed"), o.err());
    Path run = runDirectories(dir.resolve("runs")).get(0);
    JsonNode summary = Json.JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(20, summary.get("failed").asInt(), "the summary is written anyway");
  }

  @Test
  void aRolloutAgainstAServerAnswering401ToEverythingExitsOne(@TempDir Path dir) {
    try (MockOpenAiServer server = MockOpenAiServer.builder().requireApiKey("the-right-key").start()) {
      Outcome o = ludus(rollout(dir, "--agent", "openai", "--agent-config", openai(server.baseUrl())));
      assertEquals(1, o.code(), o.out() + o.err());
      assertTrue(o.out().contains("20 failed"), o.out());
      assertTrue(o.out().contains("HTTP 401"), "the reason is shown: " + o.out());
      assertTrue(o.err().contains("all 20 episodes failed"), o.err());
    }
  }

  @Test
  void theFailedShareIsComparedWithMaxFailureRate(@TempDir Path dir) {
    // the first two requests are refused (a 400 is not retried): two of twenty episodes fail, 10%
    try (MockOpenAiServer server = MockOpenAiServer.builder()
        .faults(i -> i < 2 ? dev.ludus.agents.openai.mock.MockFault.status(400, "no") : null).start()) {
      Outcome strict = ludus(rollout(dir.resolve("a"), "--agent", "openai", "--agent-config",
          openai(server.baseUrl())));
      assertEquals(1, strict.code(), strict.out() + strict.err());
      assertTrue(strict.err().contains("2 of 20 episodes failed (10.0%), more than --max-failure-rate 0.05"),
          strict.err());
      server.resetCounters();
      Outcome lenient = ludus(rollout(dir.resolve("b"), "--agent", "openai", "--agent-config",
          openai(server.baseUrl()), "--max-failure-rate", "0.2"));
      assertEquals(0, lenient.code(), lenient.out() + lenient.err());
    }
  }

  @Test
  void aRunWithoutFailuresExitsZeroAndABadMaxFailureRateIsRefused(@TempDir Path dir) throws Exception {
    assertEquals(0, ludus(rollout(dir.resolve("ok"), "--agent", "random")).code());
    assertBadInput(ludus(rollout(dir.resolve("bad"), "--agent", "random", "--max-failure-rate", "1.5")),
        "--max-failure-rate must be a number in [0, 1]");
    assertEquals(List.of(), runDirectories(dir.resolve("bad")));
  }

  @Test
  void aTrainingRunWhoseEpisodesAllFailExitsOne(@TempDir Path dir) {
    // test-countdown with failEvery 1 throws in step 1 of every task: every training episode fails
    Outcome o = ludus("train", "--env", "test-countdown", "--env-config", "{turns: 3, failEvery: 1}", "--config",
        "{model: {layers: 1, width: 16, heads: 2}, iterations: 1, tasksPerIteration: 2, groupSize: 2, epochs: 1, "
            + "warmStartEpisodes: 0, evalEpisodes: 2, checkpointEvery: 0}", "--out", dir.toString(), "--no-progress");
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("ludus train: the run did not pass: all 4 episodes failed"), o.err());
  }

  // ---- finding 9: bad input, one line, exit 2, nothing on disk ----

  @Test
  void anEmptyOutIsRefused(@TempDir Path dir) {
    assertBadInput(ludus("rollout", "--env", "guess-number", "--episodes", "2", "--out", ""), "--out",
        "an empty path is not allowed");
    assertBadInput(ludus("train", "--out", "", "--iterations", "1"), "--out", "an empty path is not allowed");
  }

  @Test
  void fullWidthDigitsAreRefused(@TempDir Path dir) {
    assertBadInput(ludus(rollout(dir, "--episodes", "\uFF15")), "--episodes", "digits 0-9");
    assertBadInput(ludus(rollout(dir, "--seed", "\u0661\u0662")), "--seed", "digits 0-9");
    assertEquals(List.of(), assertNoRuns(dir));
  }

  private static List<Path> assertNoRuns(Path dir) {
    try {
      return runDirectories(dir);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aDirectoryAsShapingIsCalledADirectory(@TempDir Path dir) throws Exception {
    Path shaping = Files.createDirectory(dir.resolve("shaping"));
    assertBadInput(ludus(rollout(dir.resolve("runs"), "--shaping", shaping.toString())), "is a directory");
    assertEquals(List.of(), runDirectories(dir.resolve("runs")));
  }

  @Test
  void nanAndInfiniteWeightsInYamlGetTheFiniteNumberMessage(@TempDir Path dir) throws Exception {
    for (String value : List.of(".nan", ".inf", "-.inf", ".NaN")) {
      Path file = dir.resolve("w.yaml");
      Files.writeString(file, "shapers:\n  - name: outcome\n    weight: " + value + "\n");
      Outcome o = ludus(rollout(dir.resolve("runs"), "--shaping", file.toString()));
      assertBadInput(o, "weight must be a finite number, was " + value, "line 3");
    }
    assertEquals(List.of(), runDirectories(dir.resolve("runs")));
  }

  @Test
  void malformedYamlIsOneLineWithLineAndColumn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "shapers:\n  - name: outcome\n   weight: [1\n");
    assertBadInput(ludus(rollout(dir.resolve("runs"), "--shaping", file.toString())), "malformed YAML",
        "(line 3, column 4)");
    assertBadInput(ludus(rollout(dir.resolve("runs"), "--env-config", "{maxTurns: [1")), "line 1");
    assertEquals(List.of(), runDirectories(dir.resolve("runs")));
  }

  @Test
  void anAbsurdConcurrencyIsRefusedWithoutLeavingAnEmptyRunDirectory(@TempDir Path dir) throws Exception {
    assertBadInput(ludus("rollout", "--env", "guess-number", "--episodes", "4", "--no-progress", "--out",
        dir.resolve("runs").toString(), "--concurrency", "2147483647"),
        "--concurrency must be between 1 and 1000000");
    assertFalse(Files.exists(dir.resolve("runs")) && !runDirectories(dir.resolve("runs")).isEmpty(),
        "no run directory left behind");
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsAndExitsTwo() {
    for (String[] args : List.of(new String[] {"frobnicate"}, new String[] {"conductor", "--help"},
        new String[] {"--plugins", "none.jar", "conductor"})) {
      Outcome o = ludus(args);
      if (args[0].equals("--plugins")) {
        assertEquals(2, o.code(), o.err()); // the missing plugin jar is named first
        continue;
      }
      assertBadInput(o, "unknown command '" + args[0] + "'", "rollout", "train", "bench");
      assertEquals("", o.out(), "no usage on standard output");
    }
  }
}
