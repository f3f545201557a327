package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Registry;
import dev.ludus.api.RewardContribution;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.runner.testenv.CountdownProvider;
import dev.ludus.runner.testenv.SlowJudgeProvider;
import dev.ludus.shaping.ShapingPipeline;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring that waits (a reward model on a worker, a judge) inside the runtime: off the event loop, with
 * every episode delivered once, and the same ledger as the synchronous path.
 */
class AsyncScoringTest {
  /** The checker fires when an event loop runs one task longer than this. */
  private static final long MAX_BLOCK_MILLIS = 200;
  /** One forward pass of the slow judge: longer than the checker allows an event loop. */
  private static final long FORWARD_MILLIS = 300;

  private static EpisodeRuntime runtime;
  private final Registry registry = Registry.load();
  private final BoundEnvironment countdown = new CountdownProvider().bind(new CountdownProvider.Config(3, 0, 0, false, 0));

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start(new RuntimeOptions(2, 4, MAX_BLOCK_MILLIS));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** Outcome plus two aliases of the slow judge, normalized and mixed by stateful stages. */
  private static String spec(boolean synchronous) {
    String judge = "{sleepMillis: " + (synchronous ? 0 : FORWARD_MILLIS) + ", synchronous: " + synchronous;
    return """
        shapers:
          - name: outcome
          - {name: test-slow-judge, as: judge-a, weight: 0.5, config: %s, salt: 1}}
          - {name: test-slow-judge, as: judge-b, weight: 0.5, config: %s, salt: 2}}
        transforms:
          - {name: running-norm, components: [judge-a, judge-b]}
        combiner: {name: lagrangian, config: {thresholds: {judge-a: 0.2}}}
        """.formatted(judge, judge);
  }

  private record Delivered(List<Episode> episodes, RunSummary summary, boolean allOnEventLoops) {}

  private static Delivered run(Rollout rollout) throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    AtomicInteger offLoop = new AtomicInteger();
    RunSummary s = runtime.run(rollout, e -> {
      if (!Context.isOnEventLoopThread()) {
        offLoop.incrementAndGet();
      }
      got.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new Delivered(List.copyOf(got), s, offLoop.get() == 0);
  }

  @Test
  void asyncShapingRunsOffTheEventLoopAndItsLedgerEqualsTheSynchronousPath() throws Exception {
    ShapingPipeline pipeline = ShapingFactory.build(registry, ShapingSpec.read(spec(false)), countdown);
    assertTrue(pipeline.asynchronous());
    List<List<Episode>> submitted = new ArrayList<>();
    Scorer recording = group -> {
      synchronized (submitted) {
        submitted.add(group);
        return pipeline.scoreAsync(group);
      }
    };
    long blockedBefore = runtime.blockedThreadWarnings();
    int episodes = 96;
    int groupSize = 8;
    Delivered d = run(new Rollout("async", countdown, "ticker", countdown.randomAgent(),
        RolloutOptions.of(episodes, episodes, 5).withGroupSize(groupSize), recording));

    // off the event loop: the checker never fired although each forward pass sleeps longer than it allows
    assertEquals(0, d.summary().blockedThreadWarnings(), "the blocked-thread checker fired");
    assertEquals(0, runtime.blockedThreadWarnings() - blockedBefore);
    int turnsPerGroup = groupSize * 3;
    for (int i : new int[] {1, 2}) {
      SlowJudgeProvider.Judge judge = (SlowJudgeProvider.Judge) pipeline.shapers().get(i).shaper();
      assertEquals(0, judge.forwardsOnEventLoop(), "a forward pass ran on an event loop");
      assertEquals(episodes / groupSize, judge.groupsStartedOnEventLoop(), "the runtime hands groups over on its loops");
      assertTrue(judge.statistics().largestBatch() > turnsPerGroup, "turns of several groups share a batch: largest "
          + judge.statistics().largestBatch() + ", one group has " + turnsPerGroup);
      judge.close();
    }
    assertTrue(d.allOnEventLoops(), "episodes are delivered on the runtime's event loops");

    // every episode delivered once, none lost
    assertEquals(episodes, d.summary().episodes());
    assertEquals(episodes, d.summary().completed());
    Set<String> ids = d.episodes().stream().map(Episode::id).collect(Collectors.toSet());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < episodes; i++) {
      expected.add("async-" + i);
    }
    assertEquals(episodes, d.episodes().size());
    assertEquals(expected, ids);

    // the same ledgers as the synchronous pipeline scoring the same groups in the same order
    ShapingPipeline reference = ShapingFactory.build(registry, ShapingSpec.read(spec(true)), countdown);
    assertTrue(!reference.asynchronous());
    Map<String, List<LedgerEntry>> want = new HashMap<>();
    for (List<Episode> g : submitted) {
      reference.score(g).forEach(e -> want.put(e.id(), e.ledger()));
    }
    for (Episode e : d.episodes()) {
      assertEquals(want.get(e.id()), e.ledger(), "ledger of " + e.id());
      assertEquals(Set.of("outcome", "judge-a", "judge-b"),
          e.ledger().stream().map(LedgerEntry::source).collect(Collectors.toSet()));
    }
  }

  @Test
  void theCheckerWouldCatchTheSameModelWorkDoneSynchronouslyOnTheEventLoop() throws Exception {
    String blocking = """
        shapers:
          - {name: test-slow-judge, config: {sleepMillis: %d, synchronous: true}}
        """.formatted(FORWARD_MILLIS);
    ShapingPipeline pipeline = ShapingFactory.build(registry, ShapingSpec.read(blocking), countdown);
    Delivered d = run(new Rollout("blocking", countdown, "ticker", countdown.randomAgent(),
        RolloutOptions.of(2, 2, 5).withGroupSize(2), pipeline::scoreAsync));
    assertEquals(2, d.summary().completed());
    assertTrue(d.summary().blockedThreadWarnings() > 0, "a forward pass on an event loop must be reported");
  }

  @Test
  void anAsyncShaperThatFailsOrNeverAnswersFailsItsGroupsEpisodesAndTheRunGoesOn() throws Exception {
    GroupShaper judge = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        long task = Long.parseLong(group.get(0).task().id().replaceAll("\\D+", ""));
        if (task % 3 == 0) {
          return CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("judge overloaded");
          });
        }
        if (task % 3 == 1) {
          return new CompletableFuture<>();
        }
        return CompletableFuture.supplyAsync(() -> group.stream()
            .map(e -> List.of(new RewardContribution(0, "judge", 1.0))).toList());
      }
    };
    ShapingPipeline pipeline = ShapingPipeline.builder().shaper("judge", judge, 1.0).timeout(Duration.ofMillis(100))
        .build();
    Delivered d = run(new Rollout("flaky", countdown, "ticker", countdown.randomAgent(),
        RolloutOptions.of(24, 24, 5).withGroupSize(4), pipeline::scoreAsync));
    assertEquals(24, d.episodes().size());
    Map<String, Long> reasons = d.episodes().stream().filter(e -> e.status() == EpisodeStatus.FAILED)
        .collect(Collectors.groupingBy(Episode::failure, Collectors.counting()));
    assertEquals(Map.of(
        "shaper 'judge' failed: java.lang.IllegalStateException: judge overloaded", 8L,
        "shaper 'judge' did not answer within the shaping timeout of 100 ms (timeoutMillis)", 8L), reasons);
    assertEquals(16, d.summary().failed());
    assertEquals(8, d.summary().completed());
    assertTrue(d.episodes().stream().filter(e -> e.status() == EpisodeStatus.COMPLETED)
        .allMatch(e -> e.ledger().equals(List.of(new LedgerEntry(0, "judge", "judge", 1.0, 1.0)))));
  }

  @Test
  void aScorerWhoseStageFailsLaterFailsItsGroupWithTheReason() throws Exception {
    Scorer broken = group -> CompletableFuture.supplyAsync(() -> {
      throw new IllegalStateException("judge unavailable");
    });
    Delivered d = run(new Rollout("broken", countdown, "ticker", countdown.randomAgent(),
        RolloutOptions.of(6, 6, 3).withGroupSize(2), broken));
    assertEquals(6, d.episodes().size());
    assertTrue(d.episodes().stream().allMatch(e -> e.status() == EpisodeStatus.FAILED
        && e.failure().equals("scoring failed: java.lang.IllegalStateException: judge unavailable")), d.episodes()
        .get(0).failure());
  }

  @Test
  void timedAddsTheWallTimeOfTheStageNotJustOfTheCall() throws Exception {
    LongAdder nanos = new LongAdder();
    Scorer later = group -> CompletableFuture.supplyAsync(() -> group,
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    List<Episode> none = List.of();
    Scorer.timed(later, nanos).score(none).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(nanos.sum() >= TimeUnit.MILLISECONDS.toNanos(50), "measured " + nanos.sum() + " ns");
  }
}
