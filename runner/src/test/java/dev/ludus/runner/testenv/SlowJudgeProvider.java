package dev.ludus.runner.testenv;

import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.batch.Batcher;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test-slow-judge}: a model-like test shaper. Every turn of a group goes through one batcher per
 * shaper whose batch function stands for a forward pass: it sleeps {@code sleepMillis} and scores each turn
 * with a deterministic function of the task, the episode seed, the turn and {@code salt}. With
 * {@code synchronous: true} it is a plain shaper computing the same scores inline, sleeping
 * {@code sleepMillis} per episode (what model work on an event loop would look like).
 */
public final class SlowJudgeProvider implements ShaperProvider<SlowJudgeProvider.Config> {

  /**
   * @param sleepMillis how long a batch (or, synchronous, an episode) takes
   * @param maxBatch the batcher's largest batch
   * @param maxWaitMillis how long a batch waits for more turns
   * @param synchronous score inline instead of through the batcher
   * @param salt varies the scores (two aliases of one judge that disagree)
   */
  public record Config(long sleepMillis, int maxBatch, long maxWaitMillis, boolean synchronous, int salt) {}

  @Override
  public String name() {
    return "test-slow-judge";
  }

  @Override
  public String description() {
    return "test shaper: turns scored in batches on a worker that sleeps like a forward pass";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(0, 256, 20, false, 0);
  }

  @Override
  public RewardShaper create(Config config) {
    return config.synchronous() ? new Inline(config) : new Judge(config);
  }

  /** The score of one turn. */
  static double score(Episode e, int turn, int salt) {
    String key = e.task().id() + "#" + e.seed() + "#" + turn + "#" + salt + "#" + e.turns().get(turn).action().content();
    return Math.floorMod(key.hashCode(), 1_001) / 1_000.0;
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The synchronous form: same scores, computed (and slept for) on the calling thread. */
  static final class Inline implements RewardShaper {
    private final Config config;

    Inline(Config config) {
      this.config = config;
    }

    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      sleep(config.sleepMillis());
      List<RewardContribution> out = new ArrayList<>();
      for (int t = 0; t < episode.turns().size(); t++) {
        out.add(new RewardContribution(t, "judge", score(episode, t, config.salt())));
      }
      return out;
    }
  }

  /** The asynchronous form: every turn through the batcher. */
  public static final class Judge implements GroupShaper, AutoCloseable {
    private record Item(Episode episode, int turn) {}

    private final Batcher<Item, Double> batcher;
    private final AtomicInteger forwardsOnEventLoop = new AtomicInteger();
    private final AtomicInteger groupsStartedOnEventLoop = new AtomicInteger();

    Judge(Config config) {
      batcher = Batcher.<Item, Double>builder("test-slow-judge", items -> {
        if (Context.isOnEventLoopThread()) {
          forwardsOnEventLoop.incrementAndGet();
        }
        sleep(config.sleepMillis());
        return items.stream().map(i -> score(i.episode(), i.turn(), config.salt())).toList();
      }).maxBatch(config.maxBatch()).maxWait(Duration.ofMillis(config.maxWaitMillis())).build();
    }

    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      if (Context.isOnEventLoopThread()) {
        groupsStartedOnEventLoop.incrementAndGet();
      }
      List<Item> items = new ArrayList<>();
      group.forEach(e -> {
        for (int t = 0; t < e.turns().size(); t++) {
          items.add(new Item(e, t));
        }
      });
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

    /** The batcher's statistics. */
    public Batcher.Statistics statistics() {
      return batcher.statistics();
    }

    /** Batches whose forward pass ran on an event loop (must stay 0). */
    public int forwardsOnEventLoop() {
      return forwardsOnEventLoop.get();
    }

    /** Groups handed to this shaper on an event loop (the runtime's scoring path). */
    public int groupsStartedOnEventLoop() {
      return groupsStartedOnEventLoop.get();
    }

    @Override
    public void close() {
      batcher.close();
    }
  }
}
