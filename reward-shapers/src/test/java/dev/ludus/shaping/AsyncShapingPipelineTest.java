package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.batch.Batcher;
import dev.ludus.shaping.combine.LagrangianCombinerProvider;
import dev.ludus.shaping.outcome.OutcomeShaperProvider;
import dev.ludus.shaping.testing.EpisodeBuilder;
import dev.ludus.shaping.transform.RunningNormTransformProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous group shapers in the pipeline: the ledger equals the synchronous one whatever order the
 * shapers answer in, failures and timeouts are data, and a model-like scorer batches across groups.
 */
class AsyncShapingPipelineTest {
  private static final RewardShaper OUTCOME = new OutcomeShaperProvider().create(NoConfig.INSTANCE);
  private static final int GROUPS = 24;
  private static final int GROUP_SIZE = 4;

  /** A judge's deterministic score of one turn: what a reward model would compute. */
  static double judge(Episode e, int turn) {
    String text = e.id() + "#" + e.turns().get(turn).action().content();
    return Math.floorMod(text.hashCode() * 31 + turn, 101) / 100.0;
  }

  static List<RewardContribution> judged(Episode e) {
    List<RewardContribution> out = new ArrayList<>();
    for (int t = 0; t < e.turns().size(); t++) {
      out.add(new RewardContribution(t, "judge", judge(e, t)));
    }
    return out;
  }

  /** The judge as an ordinary synchronous shaper: the reference. */
  static final RewardShaper SYNC_JUDGE = new RewardShaper() {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      return judged(episode);
    }
  };

  /** The judge answering each group later, when the test completes its stage. */
  static final class HeldJudge implements GroupShaper {
    final List<Runnable> answers = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      CompletableFuture<List<List<RewardContribution>>> f = new CompletableFuture<>();
      answers.add(() -> f.complete(group.stream().map(AsyncShapingPipelineTest::judged).toList()));
      return f;
    }
  }

  /** Outcome plus the judge, with a stateful transform and a stateful combiner: fresh state each call. */
  static ShapingPipeline pipeline(RewardShaper judge) {
    return ShapingPipeline.builder()
        .shaper("outcome", OUTCOME, 1.0)
        .shaper("judge", judge, 0.5)
        .transform("running-norm", new RunningNormTransformProvider().create(
            new RunningNormTransformProvider().defaultConfig()), Set.of("judge"))
        .combiner("lagrangian", new LagrangianCombinerProvider().create(
            new LagrangianCombinerProvider.Config(Map.of("judge", 0.0), 0.5, 0.1, 0.0)))
        .build();
  }

  /** Group g: four episodes on task g with 1 to 4 turns each. */
  static List<List<Episode>> groups(int count) {
    List<List<Episode>> groups = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      List<Episode> group = new ArrayList<>();
      for (int i = 0; i < GROUP_SIZE; i++) {
        EpisodeBuilder b = EpisodeBuilder.on("task-" + g).id("g" + g + "-e" + i).seed(g * 10L + i);
        int turns = 1 + (g + i) % 4;
        for (int t = 0; t < turns; t++) {
          b.turn("move " + (g * 7 + i * 3 + t) % 5, t == turns - 1 && (g + i) % 3 == 0 ? 1 : 0);
        }
        group.add(b.build());
      }
      groups.add(group);
    }
    return groups;
  }

  static List<List<Episode>> synchronously(ShapingPipeline p, List<List<Episode>> groups) {
    List<List<Episode>> out = new ArrayList<>();
    groups.forEach(g -> out.add(p.score(g)));
    return out;
  }

  static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Property(tries = 12)
  void asyncScoresCompletingInAnyOrderGiveTheLedgerOfTheSynchronousRun(@ForAll long shuffleSeed) throws Exception {
    List<List<Episode>> groups = groups(GROUPS);
    List<List<Episode>> reference = synchronously(pipeline(SYNC_JUDGE), groups);

    HeldJudge judge = new HeldJudge();
    ShapingPipeline async = pipeline(judge);
    List<CompletableFuture<List<Episode>>> stages = new ArrayList<>();
    for (List<Episode> g : groups) {
      stages.add(async.scoreAsync(g).toCompletableFuture());
    }
    assertTrue(stages.stream().noneMatch(CompletableFuture::isDone), "nothing is scored before the judge answers");
    List<Runnable> answers = new ArrayList<>(judge.answers);
    Collections.shuffle(answers, new Random(shuffleSeed));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      answers.forEach(pool::execute);
      for (int g = 0; g < GROUPS; g++) {
        List<Episode> got = stages.get(g).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < GROUP_SIZE; i++) {
          assertEquals(EpisodeStatus.COMPLETED, got.get(i).status(), got.get(i).failure());
          assertEquals(reference.get(g).get(i).ledger(), got.get(i).ledger(), "ledger of " + got.get(i).id());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, async.sequencerParked());
  }

  @Test
  void theStatefulStagesMakeTheLedgerDependOnTheOrderOfGroupsSoTheEqualityAboveIsNotVacuous() {
    List<List<Episode>> groups = groups(GROUPS);
    List<List<Episode>> forward = synchronously(pipeline(SYNC_JUDGE), groups);
    List<List<Episode>> reversed = new ArrayList<>(groups);
    Collections.reverse(reversed);
    List<List<Episode>> backward = synchronously(pipeline(SYNC_JUDGE), reversed);
    Collections.reverse(backward);
    assertNotEquals(forward.get(GROUPS / 2).get(0).ledger(), backward.get(GROUPS / 2).get(0).ledger());
  }

  @Test
  void aFailedAsyncShaperFailsItsGroupNamingTheShaperAndLaterGroupsGoOn() throws Exception {
    GroupShaper flaky = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        if (group.get(0).task().id().equals("task-1")) {
          return CompletableFuture.failedFuture(new IllegalStateException("reward model out of memory"));
        }
        if (group.get(0).task().id().equals("task-2")) {
          throw new IllegalArgumentException("cannot read the conversation");
        }
        return CompletableFuture.supplyAsync(() -> group.stream().map(AsyncShapingPipelineTest::judged).toList());
      }
    };
    ShapingPipeline p = ShapingPipeline.builder().shaper("rm", flaky, 1.0).build();
    List<List<Episode>> groups = groups(4);
    List<CompletableFuture<List<Episode>>> stages = groups.stream().map(g -> p.scoreAsync(g).toCompletableFuture())
        .toList();
    for (Episode e : stages.get(1).get(30, TimeUnit.SECONDS)) {
      assertEquals("shaper 'rm' failed: java.lang.IllegalStateException: reward model out of memory", e.failure());
      assertTrue(e.ledger().isEmpty());
    }
    for (Episode e : stages.get(2).get(30, TimeUnit.SECONDS)) {
      assertEquals("shaper 'rm' failed: java.lang.IllegalArgumentException: cannot read the conversation", e.failure());
    }
    for (int g : new int[] {0, 3}) {
      for (Episode e : stages.get(g).get(30, TimeUnit.SECONDS)) {
        assertEquals(EpisodeStatus.COMPLETED, e.status());
        assertEquals(e.turns().size(), e.ledger().size());
      }
    }
  }

  @Test
  void anAsyncShaperThatNeverAnswersIsBoundedByTheTimeoutNamedInTheReason() throws Exception {
    GroupShaper silent = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        return group.get(0).task().id().equals("task-0") ? new CompletableFuture<>()
            : CompletableFuture.completedFuture(group.stream().map(AsyncShapingPipelineTest::judged).toList());
      }
    };
    ShapingPipeline p = ShapingPipeline.builder().shaper("outcome", OUTCOME, 1.0).shaper("judge", silent, 1.0)
        .timeout(Duration.ofMillis(50)).build();
    List<List<Episode>> groups = groups(2);
    CompletableFuture<List<Episode>> hung = p.scoreAsync(groups.get(0)).toCompletableFuture();
    CompletableFuture<List<Episode>> behind = p.scoreAsync(groups.get(1)).toCompletableFuture();
    for (Episode e : hung.get(30, TimeUnit.SECONDS)) {
      assertEquals("shaper 'judge' did not answer within the shaping timeout of 50 ms (timeoutMillis)", e.failure());
    }
    assertTrue(behind.get(30, TimeUnit.SECONDS).stream().allMatch(e -> e.status() == EpisodeStatus.COMPLETED),
        "the group behind the hung one is scored once the timeout releases it");
  }

  @Test
  void anAsyncShaperAnsweringForTheWrongNumberOfEpisodesFailsTheGroup() throws Exception {
    GroupShaper shortAnswer = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        return CompletableFuture.completedFuture(List.of(List.of()));
      }
    };
    List<Episode> out = await(ShapingPipeline.builder().shaper("rm", shortAnswer, 1.0).build().scoreAsync(groups(1).get(0)));
    assertEquals("shaper 'rm' returned 1 results for a group of 4 episodes", out.get(0).failure());
  }

  @Test
  void failedEpisodesAreNotHandedToAnAsyncShaper() throws Exception {
    List<Integer> seen = new ArrayList<>();
    GroupShaper counting = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        seen.add(group.size());
        return CompletableFuture.completedFuture(group.stream().map(AsyncShapingPipelineTest::judged).toList());
      }
    };
    List<Episode> group = new ArrayList<>(groups(1).get(0));
    group.set(1, EpisodeBuilder.on("task-0").id("broken").turn("x", 0).failed("agent failed").build());
    List<Episode> out = await(ShapingPipeline.builder().shaper("rm", counting, 1.0).build().scoreAsync(group));
    assertEquals(List.of(3), seen);
    assertEquals("agent failed", out.get(1).failure());
    assertTrue(out.get(1).ledger().isEmpty());
    assertEquals(out.get(0).turns().size(), out.get(0).ledger().size());
  }

  @Test
  void theSynchronousScoreWaitsForAnAsyncShaperAndAgreesWithScoreAsync() throws Exception {
    GroupShaper later = new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        return CompletableFuture.supplyAsync(() -> group.stream().map(AsyncShapingPipelineTest::judged).toList(),
            CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
      }
    };
    List<List<Episode>> groups = groups(3);
    assertEquals(synchronously(pipeline(SYNC_JUDGE), groups), synchronously(pipeline(later), groups));
    assertEquals(SYNC_JUDGE.shape(groups.get(0).get(0)), later.shape(groups.get(0).get(0)),
        "a group shaper's shape(episode) scores a group of one");
  }

  @Test
  void aSynchronousPipelineAnswersWithACompletedStage() {
    ShapingPipeline p = pipeline(SYNC_JUDGE);
    CompletableFuture<List<Episode>> stage = p.scoreAsync(groups(1).get(0)).toCompletableFuture();
    assertTrue(stage.isDone());
    assertEquals(pipeline(SYNC_JUDGE).score(groups(1).get(0)), stage.join());
  }

  @Test
  void theSameNameTwiceIsRefusedSinceTheLedgerCouldNotTellThemApart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShapingPipeline.builder().shaper("judge", SYNC_JUDGE, 1).shaper("judge", SYNC_JUDGE, 1).build());
    assertTrue(e.getMessage().startsWith("shaper 'judge' is in the pipeline twice"), e.getMessage());
    List<Episode> scored = ShapingPipeline.builder().shaper("judge-a", SYNC_JUDGE, 1).shaper("judge-b", SYNC_JUDGE, 1)
        .build().score(groups(1).get(0));
    assertEquals(Set.of("judge-a", "judge-b"),
        scored.get(0).ledger().stream().map(l -> l.source()).collect(java.util.stream.Collectors.toSet()));
  }

  /**
   * A model-like scorer: every turn of every group goes through one batcher whose batch function stands
   * for a forward pass (it sleeps), so turns of many groups share batches.
   */
  static final class BatchedJudge implements GroupShaper, AutoCloseable {
    record Item(Episode episode, int turn) {}

    final Batcher<Item, Double> batcher;

    BatchedJudge(int maxBatch) {
      Function<List<Item>, List<Double>> forward = items -> {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return items.stream().map(i -> judge(i.episode(), i.turn())).toList();
      };
      batcher = Batcher.builder("test-judge", forward).maxBatch(maxBatch).maxWait(Duration.ofMillis(20)).build();
    }

    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<Item> items = new ArrayList<>();
      for (Episode e : group) {
        for (int t = 0; t < e.turns().size(); t++) {
          items.add(new Item(e, t));
        }
      }
      return batcher.submitAll(items).thenApply(scores -> {
        List<List<RewardContribution>> out = new ArrayList<>();
        int next = 0;
        for (Episode e : group) {
          List<RewardContribution> cs = new ArrayList<>();
          for (int t = 0; t < e.turns().size(); t++) {
            cs.add(new RewardContribution(t, "judge", scores.get(next++)));
          }
          out.add(cs);
        }
        return out;
      });
    }

    @Override
    public void close() {
      batcher.close();
    }
  }

  @Test
  void aBatchedModelScorerBatchesTurnsAcrossGroupsAndKeepsTheSynchronousLedger() throws Exception {
    List<List<Episode>> groups = groups(GROUPS);
    List<List<Episode>> reference = synchronously(pipeline(SYNC_JUDGE), groups);
    int turnsPerGroup = groups.stream().mapToInt(g -> g.stream().mapToInt(e -> e.turns().size()).sum()).max()
        .orElseThrow();
    try (BatchedJudge judge = new BatchedJudge(64)) {
      ShapingPipeline p = pipeline(judge);
      List<CompletableFuture<List<Episode>>> stages = new ArrayList<>();
      for (List<Episode> g : groups) {
        stages.add(p.scoreAsync(g).toCompletableFuture());
      }
      for (int g = 0; g < GROUPS; g++) {
        assertEquals(reference.get(g), stages.get(g).get(30, TimeUnit.SECONDS), "group " + g);
      }
      Batcher.Statistics s = judge.batcher.statistics();
      assertTrue(s.largestBatch() > turnsPerGroup, "a batch must hold turns of several groups: largest "
          + s.largestBatch() + ", a group has at most " + turnsPerGroup + " turns");
      assertTrue(s.batches() < GROUPS, "fewer batches than groups, was " + s.batches());
    }
  }
}
