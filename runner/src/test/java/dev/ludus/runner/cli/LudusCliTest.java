package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MicronautTest
class LudusCliTest {
  @Inject ApplicationContext context;


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  @Test
  void helpListsEveryCommand() {
    Outcome o = ludus("--help");
    assertEquals(0, o.code());
    for (String c : List.of("train", "experiment", "rollout", "list", "check-env", "bench")) {
      assertTrue(o.out().contains(c), "help mentions " + c + ":\n" + o.out());
    }
  }

  @Test
  void listAgentsShowsTheRegisteredAgentsThroughMicronautInjection() {
    Outcome o = ludus("list", "agents");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("oracle") && o.out().contains("random") && o.out().contains("scripted"), o.out());
  }

  @Test
  void listEnvsAsJsonDescribesConfigFieldsAndSignals() throws Exception {
    Outcome o = ludus("list", "envs", "--json");
    assertEquals(0, o.code(), o.err());
    JsonNode all = Json.JSON.readTree(o.out());
    JsonNode countdown = null;
    for (JsonNode n : all) {
      if (n.get("name").asText().equals("test-countdown")) {
        countdown = n;
      }
    }
    assertTrue(countdown != null, o.out());
    assertEquals("turns", countdown.get("config").get(0).get("name").asText());
    assertEquals(3, countdown.get("config").get(0).get("default").asInt());
    assertTrue(countdown.get("signals").toString().contains("\"success\""));
  }

  @Test
  void anUnknownEnvironmentGetsOneLineNamingItAndTheKnownOnesAndExitCode2(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "no-such-env", "--out", dir.toString());
    assertEquals(2, o.code());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains("unknown environment 'no-such-env'; known environments: "), o.err());
    assertTrue(o.err().contains("test-countdown"), o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void verbosePrintsTheStackTrace(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "no-such-env", "--out", dir.toString(), "--verbose");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("\tat "), o.err());
  }

  @Test
  void aMalformedOrUnknownConfigFieldIsNamedWithTheAllowedFields(@TempDir Path dir) {
    Outcome bad = ludus("rollout", "--env", "test-countdown", "--env-config", "{tunrs: 3}", "--out", dir.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("unknown field 'tunrs'; allowed fields: turns (an integer)"), bad.err());
    Outcome type = ludus("rollout", "--env", "test-countdown", "--env-config", "turns: many", "--out", dir.toString());
    assertEquals(2, type.code());
    assertTrue(type.err().contains("field 'turns'"), type.err());
    Outcome syntax = ludus("rollout", "--env", "test-countdown", "--env-config", "{turns: [", "--out", dir.toString());
    assertEquals(2, syntax.code());
    assertTrue(syntax.err().contains("is not valid YAML or JSON"), syntax.err());
    Outcome missing = ludus("rollout", "--env", "test-countdown", "--env-config", "nope.yaml", "--out", dir.toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("config file 'nope.yaml' for 'test-countdown' does not exist"), missing.err());
  }

  @Test
  void negativeCountsAreRejected(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "test-countdown", "--episodes", "-3", "--out", dir.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--episodes must be at least 1, was -3"), o.err());
    Outcome c = ludus("rollout", "--env", "test-countdown", "--concurrency", "0", "--out", dir.toString());
    assertEquals(2, c.code());
    assertTrue(c.err().contains("--concurrency must be at least 1, was 0"), c.err());
  }

  @Test
  void anUnwritableOutputDirectoryIsRejected(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Outcome o = ludus("rollout", "--env", "test-countdown", "--out", file.resolve("sub").toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("cannot write the run directory under"), o.err());
  }

  @Test
  void rolloutWritesConfigEpisodesAndSummaryIntoItsOwnRunDirectory(@TempDir Path dir) throws Exception {
    Outcome o = ludus("rollout", "--env", "test-countdown", "--env-config", "turns: 4", "--agent", "random",
        "--episodes", "30", "--concurrency", "8", "--seed", "3", "--out", dir.toString(), "--no-progress");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("30 episodes: 30 completed, 0 truncated, 0 failed; success 1.000"), o.out());
    Path run;
    try (Stream<Path> runs = Files.list(dir)) {
      run = runs.findFirst().orElseThrow();
    }
    assertTrue(run.getFileName().toString().endsWith("test-countdown-random"), run.toString());
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(30, episodes.size());
    assertTrue(episodes.stream().allMatch(e -> e.status() == EpisodeStatus.COMPLETED && e.turns().size() == 4));
    JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
    assertEquals(4, config.get("envConfig").get("turns").asInt());
    assertEquals(3, config.get("rollout").get("seed").asInt());
    JsonNode summary = Json.JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(30, summary.get("episodes").asInt());
    assertEquals(120, summary.get("turns").asInt());
    assertEquals(0, summary.get("blockedThreadWarnings").asInt(), "no event loop was blocked");
  }

  @Test
  void rolloutWithAShapingFileRecordsEveryComponentInTheLedgerAndTheSummary(@TempDir Path dir) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - name: outcome
          - name: conciseness-bonus
            weight: 0.5
            config: {maxWords: 3, bonus: 0.2}
        """);
    Outcome o = ludus("rollout", "--env", "test-countdown", "--agent", "random", "--episodes", "8", "--group-size", "4",
        "--shaping", shaping.toString(), "--out", dir.resolve("runs").toString(), "--no-progress");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("reward components (mean raw per episode): conciseness-bonus/conciseness 0.600,"
        + " outcome 1.000; shaped return 1.300"), o.out());
    Path run;
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(8, episodes.size());
    assertEquals(2, episodes.stream().map(e -> e.task().id()).distinct().count(), "two groups of four");
    for (Episode e : episodes) {
      assertEquals(6, e.ledger().size(), "3 turns x 2 components");
      assertTrue(e.ledger().stream().anyMatch(l -> l.source().equals("conciseness-bonus") && l.raw() == 0.2
          && l.value() == 0.1));
    }
    JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
    assertEquals("conciseness-bonus", config.get("shaping").get("shapers").get(1).get("name").asText());
    JsonNode summary = Json.JSON.readTree(run.resolve("summary.json").toFile());
    assertEquals(1.3, summary.get("meanShapedReturn").asDouble(), 1e-9);
  }

  @Test
  void badShapingStopsTheRunBeforeItStartsWithExitCode2(@TempDir Path dir) throws Exception {
    Outcome o = ludus("rollout", "--env", "test-countdown", "--shaping", "shapers: [{name: nope}]", "--out",
        dir.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("shaping: shapers[0]: unknown shaper 'nope'"), o.err());
    try (Stream<Path> runs = Files.list(dir)) {
      assertEquals(0, runs.count(), "no run directory was created");
    }
    Outcome g = ludus("rollout", "--env", "test-countdown", "--episodes", "10", "--group-size", "4", "--out",
        dir.toString());
    assertEquals(2, g.code());
    assertTrue(g.err().contains("--episodes (10) must be a multiple of --group-size (4)"), g.err());
  }

  @Test
  void shapersExplainPrintsTheFormulaTheReferenceAndTheConfigDefaults() {
    Outcome o = ludus("shapers", "explain", "conciseness-bonus");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("conciseness-bonus (shaper)"), o.out());
    assertTrue(o.out().contains("formula:   r_t = bonus · 1[|a_t| ≤ maxWords]"), o.out());
    assertTrue(o.out().contains("maxWords (int) default 12"), o.out());
    Outcome unknown = ludus("shapers", "explain", "nope");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown shaper, transform or combiner 'nope'"), unknown.err());
  }

  @Test
  void deviceIsRefusedForAnAgentWithoutADeviceSetting(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "test-countdown", "--agent", "random", "--device", "gpu", "--out",
        dir.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--device applies to agents that run a model in process (e.g. djl-lm); agent 'random'"
        + " has no device setting"), o.err());
  }

  @Test
  void deviceCpuRunsTheInProcessModelOnTheCpu(@TempDir Path dir) throws Exception {
    Outcome o = ludus("rollout", "--env", "test-countdown", "--agent", "djl-lm", "--device", "cpu", "--episodes", "4",
        "--concurrency", "4", "--out", dir.toString(), "--no-progress");
    assertEquals(0, o.code(), o.err());
    Path run;
    try (Stream<Path> runs = Files.list(dir)) {
      run = runs.findFirst().orElseThrow();
    }
    assertEquals("cpu", Json.YAML.readTree(run.resolve("config.yaml").toFile()).get("agentConfig").get("device").asText());
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertTrue(episodes.stream().allMatch(e -> e.turns().stream().allMatch(t -> t.tokens() != null
        && t.tokens().outputIds().length == t.tokens().logProbs().length)), "token in, token out");
  }

  @Test
  void trainRefusesBadShapingBeforeCreatingARunDirectory(@TempDir Path dir) throws Exception {
    Outcome o = ludus("train", "--shaping", "shapers: [{name: info-gian}]", "--out", dir.resolve("runs").toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("shaping: shapers[0]: unknown shaper 'info-gian'"), o.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing was created");
  }

  @Test
  void shapingAblationRefusesBadArmsAndCountsBeforeCreatingARunDirectory(@TempDir Path dir) {
    String out = dir.resolve("runs").toString();
    Outcome typo = ludus("experiment", "shaping-ablation", "--arms",
        "{outcome: {shapers: [{name: outcome}]}, dense: {shapers: [{name: info-gian}]}}", "--out", out);
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("arm 'dense'") && typo.err().contains("unknown shaper 'info-gian'"), typo.err());
    Outcome one = ludus("experiment", "shaping-ablation", "--arms", "{outcome: {shapers: [{name: outcome}]}}",
        "--out", out);
    assertEquals(2, one.code());
    assertTrue(one.err().contains("at least 2 arms"), one.err());
    Outcome seeds = ludus("experiment", "shaping-ablation", "--seeds", "0", "--out", out);
    assertEquals(2, seeds.code());
    assertTrue(seeds.err().contains("--seeds must be in [1, 1000], was 0"), seeds.err());
    Outcome threshold = ludus("experiment", "shaping-ablation", "--threshold", "1.5", "--out", out);
    assertEquals(2, threshold.code());
    assertTrue(threshold.err().contains("threshold must be in (0, 1], was 1.5"), threshold.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing was created");
  }

  @Test
  void theSpecAblationsRefuseBadSpecsWithExitCode2BeforeCreatingARunDirectory(@TempDir Path dir) throws Exception {
    String out = dir.resolve("runs").toString();
    String spec = Files.readString(Path.of("..", "examples", "ablations", "noise.yaml"))
        .replace("transforms: [{name: noise, config: {p: 0.2", "transforms: [{name: nosie, config: {p: 0.2");
    Outcome typo = ludus("experiment", "noise", "--spec", spec, "--out", out);
    assertEquals(2, typo.code(), typo.err());
    assertTrue(typo.err().contains("setting 'frozen-lake-3x3'") && typo.err().contains("nosie"), typo.err());
    Outcome empty = ludus("experiment", "sparse-shaping", "--spec", "{title: t, settings: []}", "--out", out);
    assertEquals(2, empty.code(), empty.err());
    assertTrue(empty.err().contains("settings must be a list of at least one setting"), empty.err());
    Outcome seeds = ludus("experiment", "hacking", "--seeds", "0", "--out", out);
    assertEquals(2, seeds.code(), seeds.err());
    assertTrue(seeds.err().contains("--seeds must be in [1, 1000], was 0"), seeds.err());
    assertFalse(Files.exists(dir.resolve("runs")), "nothing was created");
  }

  @Test
  void benchLearnerRejectsBadOptionsWithExitCode2NamingTheOption() {
    for (String[] c : List.of(
        new String[] {"--rounds", "0", "--rounds must be at least 1, was 0"},
        new String[] {"--warmup", "-1", "--warmup must be at least 0, was -1"},
        new String[] {"--group-size", "1", "--group-size must be at least 2, was 1"},
        new String[] {"--layers", "65", "--layers must be in [1, 64], was 65"},
        new String[] {"--width", "30", "--width (30) must be a multiple of --heads (4)"},
        new String[] {"--output-tokens", "10000", "--output-tokens (10000) must be below --context ("},
        new String[] {"--only", "all", "--only must be ratio or split, was 'all'"})) {
      Outcome o = ludus("bench", "learner", c[0], c[1]);
      assertEquals(2, o.code(), String.join(" ", c) + ": " + o.out() + o.err());
      assertTrue(o.err().contains(c[2]), o.err());
      assertFalse(o.out().contains("(a)"), "nothing was measured: " + o.out());
    }
  }

  @Test
  void checkEnvPassesOnAConformingEnvironment() {
    Outcome o = ludus("check-env", "test-countdown");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("test-countdown: all checks passed"), o.out());
  }
}
