package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.testenv.ContextEnvProvider;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins that take the plugin context, and simulated users chosen by configuration, through the CLI. */
@MicronautTest
class PluginContextCliTest {
  @Inject ApplicationContext context;


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  private static List<Episode> episodes(Path out) throws Exception {
    try (Stream<Path> runs = Files.list(out)) {
      Path run = runs.findFirst().orElseThrow();
      return EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    }
  }

  @BeforeEach
  void clearLogs() {
    ContextEnvProvider.EVENTS.clear();
    ContextEnvProvider.CONTEXTS.clear();
  }

  @Test
  void aPluginThatTakesTheContextRollsOutOnTheRuntimesVertxAndItsResourcesCloseOnceAtTheEnd(@TempDir Path dir)
      throws Exception {
    Outcome o = ludus("rollout", "--env", "test-context-env", "--env-config", "turns: 3", "--agent", "random",
        "--episodes", "12", "--concurrency", "4", "--out", dir.toString(), "--no-progress");
    assertEquals(0, o.code(), o.out() + o.err());
    List<Episode> episodes = episodes(dir);
    assertEquals(12, episodes.size());
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.COMPLETED, e.status(), e.failure());
      e.turns().forEach(t -> {
        assertEquals(true, t.signals().get(ContextEnvProvider.CONTEXT_VERTX).orElseThrow());
        assertEquals(true, t.signals().get(ContextEnvProvider.ON_WORKER).orElseThrow());
      });
    }
    assertEquals(13, ContextEnvProvider.CONTEXTS.size(), "one probe, then one instance per episode");
    assertEquals(1, ContextEnvProvider.CONTEXTS.stream().distinct().count(), "one context for the run");
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void whenTheRunFailsAfterTheContextWasUsedItsResourcesStillCloseOnce(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "test-context-env", "--agent", "no-such-agent", "--out", dir.toString());
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("unknown agent 'no-such-agent'"), o.err());
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void checkEnvGivesThePluginAContextAndClosesIt() {
    Outcome o = ludus("check-env", "test-context-env", "--seeds", "2");
    assertEquals(0, o.code(), o.out() + o.err());
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void twentyQuestionsPlaysWithTheSimulatedUserItsConfigNames(@TempDir Path dir) throws Exception {
    Outcome o = ludus("rollout", "--env", "twenty-questions", "--env-config",
        "{maxTurns: 2, user: {name: test-naysayer, config: {opening: 'Try me.'}}}", "--agent", "random",
        "--episodes", "3", "--out", dir.toString(), "--no-progress");
    assertEquals(0, o.code(), o.out() + o.err());
    for (Episode e : episodes(dir)) {
      assertEquals("Try me.", e.start().get(1).content());
      assertEquals("No.", e.turns().get(0).observation().get(0).content());
    }
  }

  @Test
  void anUnknownOrMisconfiguredSimulatedUserIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
    Outcome unknown = ludus("rollout", "--env", "twenty-questions", "--env-config", "user: nobody",
        "--out", dir.toString());
    assertEquals(2, unknown.code(), unknown.out() + unknown.err());
    String line = unknown.err().strip();
    assertTrue(line.startsWith("ludus rollout: environment 'twenty-questions': user: unknown simulator 'nobody'; "
        + "known simulators: ") && line.contains("test-naysayer") && line.contains("twenty-questions-user")
        && line.lines().count() == 1, line);
    Outcome bad = ludus("check-env", "twenty-questions", "--env-config",
        "user: {name: test-naysayer, config: {openin: x}}");
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertEquals("ludus check-env: environment 'twenty-questions': user: config for 'test-naysayer': unknown field "
        + "'openin'; allowed fields: opening (a string)", bad.err().strip());
    try (Stream<Path> runs = Files.list(dir)) {
      assertEquals(0, runs.count(), "no run directory for bad input");
    }
  }
}
