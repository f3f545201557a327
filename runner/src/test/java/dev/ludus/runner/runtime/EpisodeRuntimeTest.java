package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.FailureKind;
import dev.ludus.api.LudusFailure;
import dev.ludus.api.Message;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.testenv.CountdownProvider;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpisodeRuntimeTest {
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @AfterEach
  void noEventLoopWasBlocked() {
    assertEquals(0, runtime.blockedThreadWarnings(), "the blocked-thread checker fired");
  }

  private static BoundEnvironment countdown(CountdownProvider.Config config) {
    return new CountdownProvider().bind(config);
  }

  private static CountdownProvider.Config config(int turns) {
    return new CountdownProvider.Config(turns, 0, 0, false, 0);
  }

  private static Agent ticker() {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("tick")));
  }

  private static List<Episode> run(Rollout rollout) throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary s = runtime.run(rollout, e -> {
      got.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(rollout.options().episodes(), s.episodes());
    return List.copyOf(got);
  }

  @Test
  void thousandConcurrentEpisodesAllCompleteAndAreStoredWithNoneLost(@TempDir Path dir) throws Exception {
    Rollout rollout = new Rollout("run", countdown(config(5)), "ticker", ticker(), RolloutOptions.of(1_000, 1_000, 7));
    RunSummary s;
    try (EpisodeStore store = EpisodeStore.open(dir.resolve("episodes.jsonl"))) {
      s = runtime.run(rollout, store::append, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    assertEquals(1_000, s.episodes());
    assertEquals(1_000, s.completed());
    assertEquals(5_000, s.turns());
    assertEquals(1.0, s.successRate());
    List<Episode> stored = EpisodeReader.readAll(dir.resolve("episodes.jsonl"));
    assertEquals(1_000, stored.size());
    Set<String> ids = new HashSet<>();
    stored.forEach(e -> ids.add(e.id()));
    assertEquals(1_000, ids.size(), "every episode id is distinct");
    assertTrue(stored.stream().allMatch(e -> e.turns().size() == 5 && e.success()));
  }

  /** The kind of the one failed episode that {@code agent} plays. */
  private static FailureKind failureKindWith(Agent agent) throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(config(3)), "failing", agent, RolloutOptions.of(1, 1, 1)));
    assertEquals(EpisodeStatus.FAILED, episodes.get(0).status(), episodes.get(0).toString());
    return episodes.get(0).failureKind();
  }

  @Test
  void aFailedEpisodeTakesItsKindFromTheAgentsAnswerOrTheErrorsCause_notFromTheReasonsText() throws Exception {
    assertEquals(FailureKind.TOOL, failureKindWith(r -> CompletableFuture.completedFuture(
        AgentResponse.failure(FailureKind.TOOL, "the call's arguments break its schema"))));
    assertEquals(FailureKind.TRANSPORT, failureKindWith(r -> CompletableFuture.failedFuture(
        new IllegalStateException("could not ask", new LudusFailure(FailureKind.TRANSPORT, "server gone")))));
    assertEquals(FailureKind.AGENT, failureKindWith(r -> CompletableFuture.failedFuture(
        new IllegalStateException("the simulated user timed out, says this agent's text"))));
  }

  @Test
  void aFailingEnvironmentFailsOnlyItsOwnEpisodes() throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(new CountdownProvider.Config(4, 5, 0, false, 0)),
        "ticker", ticker(), RolloutOptions.of(100, 32, 1)));
    for (Episode e : episodes) {
      long index = Long.parseLong(e.id().substring(e.id().lastIndexOf('-') + 1));
      if (index % 5 == 0) {
        assertEquals(EpisodeStatus.FAILED, e.status(), e.id());
        assertTrue(e.failure().startsWith("environment failed at turn 1: IllegalStateException: deliberate failure"),
            e.failure());
        assertEquals(1, e.turns().size(), "the turn before the failure is kept");
      } else {
        assertEquals(EpisodeStatus.COMPLETED, e.status(), e.id());
        assertTrue(e.success());
      }
    }
  }

  @Test
  void aBrokenEnvironmentRunningBesideAHealthyOneFailsOnlyItsOwnEpisodes() throws Exception {
    ConcurrentLinkedQueue<Episode> broken = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Episode> healthy = new ConcurrentLinkedQueue<>();
    var a = runtime.run(new Rollout("broken", countdown(new CountdownProvider.Config(4, 1, 0, false, 0)), "ticker",
        ticker(), RolloutOptions.of(300, 150, 1)), e -> {
          broken.add(e);
          return CompletableFuture.completedFuture(null);
        }, EpisodeListener.none()).toCompletableFuture();
    var b = runtime.run(new Rollout("healthy", countdown(config(4)), "ticker", ticker(), RolloutOptions.of(300, 150, 1)),
        e -> {
          healthy.add(e);
          return CompletableFuture.completedFuture(null);
        }, EpisodeListener.none()).toCompletableFuture();
    RunSummary brokenSummary = a.get(60, TimeUnit.SECONDS);
    RunSummary healthySummary = b.get(60, TimeUnit.SECONDS);
    assertEquals(300, brokenSummary.failed());
    assertEquals(1, brokenSummary.failures().size(), "one kind of failure, counted once per episode");
    assertEquals(300, brokenSummary.failures().get(0).count());
    assertEquals(300, healthySummary.completed());
    assertEquals(0, healthySummary.failed());
    assertTrue(healthy.stream().allMatch(e -> e.success() && e.turns().size() == 4));
    assertEquals(300, broken.size());
  }

  @Test
  void episodesAreScoredInCompleteGroupsOfTheSameTask() throws Exception {
    ConcurrentLinkedQueue<List<Episode>> groups = new ConcurrentLinkedQueue<>();
    Scorer recording = Scorer.synchronous(group -> {
      groups.add(group);
      return group;
    });
    List<Episode> episodes = run(new Rollout("run", countdown(config(2)), "ticker", ticker(),
        RolloutOptions.of(40, 16, 3).withGroupSize(4), recording));
    assertEquals(40, episodes.size());
    assertEquals(10, groups.size());
    Set<String> tasks = new HashSet<>();
    for (List<Episode> g : groups) {
      assertEquals(4, g.size());
      assertEquals(1, g.stream().map(e -> e.task().id()).distinct().count(), "one task per group");
      assertEquals(4, g.stream().map(Episode::seed).distinct().count(), "each episode has its own seed");
      tasks.add(g.get(0).task().id());
    }
    assertEquals(10, tasks.size());
  }

  @Test
  void aScorerThatThrowsFailsItsGroupsEpisodesWithTheReason() throws Exception {
    Scorer broken = group -> {
      throw new IllegalStateException("judge unavailable");
    };
    List<Episode> episodes = run(new Rollout("run", countdown(config(2)), "ticker", ticker(),
        RolloutOptions.of(6, 6, 3).withGroupSize(2), broken));
    assertTrue(episodes.stream().allMatch(e -> e.status() == EpisodeStatus.FAILED
        && e.failure().equals("scoring failed: java.lang.IllegalStateException: judge unavailable")));
  }

  @Test
  void anEpisodeCountThatIsNotAMultipleOfTheGroupSizeIsRefused() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RolloutOptions.of(10, 4, 1).withGroupSize(4));
    assertEquals("episodes (10) must be a multiple of groupSize (4)", e.getMessage());
  }

  @Test
  void anAgentsFailureIsRecordedWithItsReason() throws Exception {
    Agent flaky = r -> CompletableFuture.completedFuture(r.turn() == 1
        ? AgentResponse.failure("HTTP 503 from the model server")
        : AgentResponse.reply(Message.assistant("ok")));
    List<Episode> episodes = run(new Rollout("run", countdown(config(3)), "flaky", flaky, RolloutOptions.of(10, 4, 1)));
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.FAILED, e.status());
      assertEquals("agent failed at turn 1: HTTP 503 from the model server", e.failure());
    }
  }

  @Test
  void anAgentThatThrowsOrFailsItsStageFailsOnlyThatEpisode() throws Exception {
    Agent broken = r -> {
      if (r.turn() == 0 && r.episodeId().endsWith("-3")) {
        throw new IllegalArgumentException("boom");
      }
      if (r.turn() == 0 && r.episodeId().endsWith("-4")) {
        return CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
      }
      return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("ok")));
    };
    List<Episode> episodes = run(new Rollout("run", countdown(config(2)), "broken", broken, RolloutOptions.of(8, 8, 1)));
    for (Episode e : episodes) {
      if (e.id().endsWith("-3")) {
        assertEquals("agent threw at turn 0: IllegalArgumentException: boom", e.failure());
      } else if (e.id().endsWith("-4")) {
        assertEquals("agent failed at turn 0: IOException: connection reset", e.failure());
      } else {
        assertEquals(EpisodeStatus.COMPLETED, e.status());
      }
    }
  }

  @Test
  void anAgentThatNeverAnswersFailsItsEpisodeAtTheTurnTimeLimit() throws Exception {
    Agent silent = r -> new CompletableFuture<>();
    List<Episode> episodes = run(new Rollout("run", countdown(config(3)), "silent", silent,
        RolloutOptions.of(20, 20, 1).withTimeouts(100, 60_000)));
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.FAILED, e.status());
      assertEquals("agent did not answer within 100 ms at turn 0", e.failure());
    }
  }

  @Test
  void anEpisodeOverItsTimeLimitFails() throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(new CountdownProvider.Config(1_000, 0, 0, false, 20)),
        "ticker", ticker(), RolloutOptions.of(4, 4, 1).withTimeouts(5_000, 150)));
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.FAILED, e.status());
      assertTrue(e.failure().startsWith("episode exceeded its time limit of 150 ms at turn "), e.failure());
    }
  }

  @Test
  void asynchronousEnvironmentsAreDriven() throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(new CountdownProvider.Config(3, 0, 0, false, 2)),
        "ticker", ticker(), RolloutOptions.of(50, 50, 1)));
    assertTrue(episodes.stream().allMatch(e -> e.status() == EpisodeStatus.COMPLETED && e.turns().size() == 3));
  }

  @Test
  void blockingEnvironmentsRunOnWorkerThreadsAndNeverOnAnEventLoop() throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(new CountdownProvider.Config(3, 0, 30, true, 0)),
        "ticker", ticker(), RolloutOptions.of(40, 40, 1)));
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.COMPLETED, e.status());
      for (var t : e.turns()) {
        String thread = t.signals().get(CountdownProvider.THREAD).orElseThrow();
        assertFalse(thread.contains("eventloop"), thread);
        assertTrue(thread.contains("worker"), thread);
      }
    }
  }

  @Test
  void theRuntimeTurnCapTruncates() throws Exception {
    List<Episode> episodes = run(new Rollout("run", countdown(config(100)), "ticker", ticker(),
        RolloutOptions.of(5, 5, 1).withMaxTurns(7)));
    for (Episode e : episodes) {
      assertEquals(EpisodeStatus.TRUNCATED, e.status());
      assertEquals(7, e.turns().size());
      assertFalse(e.success());
    }
  }

  @Test
  void theSameSeedGivesTheSameTasksAndSeeds() throws Exception {
    List<Episode> a = run(new Rollout("run", countdown(config(2)), "ticker", ticker(), RolloutOptions.of(20, 7, 42)));
    List<Episode> b = run(new Rollout("run", countdown(config(2)), "ticker", ticker(), RolloutOptions.of(20, 3, 42)));
    java.util.Map<String, Long> seedsA = new java.util.HashMap<>();
    a.forEach(e -> seedsA.put(e.id(), e.seed()));
    b.forEach(e -> assertEquals(seedsA.get(e.id()), e.seed(), e.id()));
  }

  @Test
  void theBlockedThreadCheckerCatchesAnEnvironmentThatBlocksAnEventLoop() throws Exception {
    try (EpisodeRuntime strict = EpisodeRuntime.start(new RuntimeOptions(1, 2, 50))) {
      RunSummary s = strict.run(new Rollout("run", countdown(new CountdownProvider.Config(2, 0, 300, false, 0)),
          "ticker", ticker(), RolloutOptions.of(1, 1, 1)), e -> CompletableFuture.completedFuture(null),
          EpisodeListener.none()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(s.blockedThreadWarnings() > 0, "a 300 ms step on an event loop must be reported");
    }
  }
}
