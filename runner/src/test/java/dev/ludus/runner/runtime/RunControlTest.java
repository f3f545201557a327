package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.runner.testenv.CountdownProvider;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 16, finding 2: a run could neither stop gracefully nor leave out what an earlier session stored. */
class RunControlTest {
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** An agent whose every answer takes {@code millis}. */
  private static Agent slow(long millis) {
    return r -> CompletableFuture.supplyAsync(() -> AgentResponse.reply(Message.assistant("tick")),
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
  }

  private static Rollout rollout(int episodes, int concurrency, int group, Agent agent) {
    return new Rollout("run", new CountdownProvider().bind(new CountdownProvider.Config(3, 0, 0, false, 0)), "slow",
        agent, RolloutOptions.of(episodes, concurrency, 1).withGroupSize(group));
  }

  @Test
  void aStoppedRunStartsNoNewGroupAndCompletesOnceTheGroupsInFlightAreIn() throws Exception {
    RunControl control = RunControl.create();
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary s = runtime.run(rollout(2_000, 8, 4, slow(2)), e -> {
      got.add(e);
      if (got.size() == 20) {
        control.stop(60_000);
      }
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none(), control).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(control.stopped());
    assertTrue(s.episodes() >= 20 && s.episodes() < 2_000, "stopped early: " + s.episodes());
    assertEquals(0, s.episodes() % 4, "whole groups only: " + s.episodes());
    assertEquals(0, control.cut(), "everything in flight finished within the grace");
    assertEquals(s.episodes(), got.size());
  }

  @Test
  void aStopWhoseGraceRunsOutCompletesAtOnceAndCountsTheEpisodesCut() throws Exception {
    RunControl control = RunControl.create();
    CompletableFuture<RunSummary> run = runtime.run(rollout(100, 10, 1, slow(60_000)),
        e -> CompletableFuture.completedFuture(null), EpisodeListener.none(), control).toCompletableFuture();
    Thread.sleep(100);
    control.stop(50);
    RunSummary s = run.get(10, TimeUnit.SECONDS);
    assertEquals(0, s.episodes());
    assertEquals(10, control.cut());
  }

  @Test
  void aResumedRunPlaysOnlyTheMatchesNotStoredAndCountsTheStoredOnesInItsSummary() throws Exception {
    BitSet played = new BitSet();
    played.set(0, 8);
    played.set(12, 16);
    ConcurrentLinkedQueue<Episode> earlier = new ConcurrentLinkedQueue<>();
    runtime.run(rollout(12, 4, 4, slow(0)), e -> {
      earlier.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary s = runtime.run(rollout(20, 4, 4, slow(0)), e -> {
      got.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none(), RunControl.resuming(played, c -> earlier.forEach(c))).toCompletableFuture().get(30, TimeUnit.SECONDS);
    Set<String> ids = new HashSet<>();
    got.forEach(e -> ids.add(e.id()));
    assertEquals(Set.of("run-8", "run-9", "run-10", "run-11", "run-16", "run-17", "run-18", "run-19"), ids);
    assertEquals(20, s.episodes(), "the 12 stored before and the 8 played now");
  }
}
