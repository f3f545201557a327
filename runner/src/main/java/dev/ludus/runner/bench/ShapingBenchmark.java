package dev.ludus.runner.bench;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.Scorer;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.shaping.ShapingPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code ludus bench shaping}: runtime turns/s with no shaping against the same rollout scored by a
 * shaping pipeline, in one run, as a ratio. Both run with the episode store on, grouped the same way.
 *
 * <p>Method. Warm-up rounds (both sides, unrecorded) run until {@code warmupSeconds} have passed and at least
 * two rounds are done, so the JIT has compiled both paths. Then each measured round runs the two sides back to
 * back, in alternating order, and gives one ratio; the result is the median of the rounds' ratios. Pairing
 * matters on a shared machine: load drifts between rounds, and medians taken per side apart swing far more
 * than the ratio within a round.
 */
public final class ShapingBenchmark {
  /**
   * The figures.
   *
   * @param plain each measured round's turns/s without shaping
   * @param shaped each measured round's turns/s with shaping, in the same order
   */
  public record Result(List<Double> plain, List<Double> shaped, int warmupRounds) {
    /** Each measured round's shaped / plain. */
    public List<Double> ratios() {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < plain.size(); i++) {
        ratios.add(shaped.get(i) / plain.get(i));
      }
      return ratios;
    }

    /** The median over rounds of shaped / plain. */
    public double ratio() {
      return BenchMath.median(ratios());
    }

    public double plainTurnsPerSecond() {
      return BenchMath.median(plain);
    }

    public double shapedTurnsPerSecond() {
      return BenchMath.median(shaped);
    }
  }

  private ShapingBenchmark() {}

  public static Result run(BoundEnvironment env, String agentName, Agent agent, ShapingPipeline pipeline, int episodes,
      int concurrency, int groupSize, int rounds) throws InterruptedException {
    return run(env, agentName, agent, pipeline, episodes, concurrency, groupSize, rounds, 10);
  }

  public static Result run(BoundEnvironment env, String agentName, Agent agent, ShapingPipeline pipeline, int episodes,
      int concurrency, int groupSize, int rounds, double warmupSeconds) throws InterruptedException {
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-bench-shaping-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Double> plain = new ArrayList<>();
    List<Double> shaped = new ArrayList<>();
    RolloutOptions options = RolloutOptions.of(episodes, concurrency, 0).withGroupSize(groupSize);
    Rollout plainRollout = new Rollout("plain", env, agentName, agent, options, Scorer.none());
    Rollout shapedRollout = new Rollout("shaped", env, agentName, agent, options, pipeline::scoreAsync);
    int warmup = 0;
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      while (warmup < 2 || System.nanoTime() < warmupEnd) {
        once(runtime, plainRollout, dir.resolve("warmup-plain.jsonl"));
        once(runtime, shapedRollout, dir.resolve("warmup-shaped.jsonl"));
        warmup++;
      }
      for (int round = 0; round < rounds; round++) {
        boolean plainFirst = round % 2 == 0;
        RunSummary first = once(runtime, plainFirst ? plainRollout : shapedRollout, dir.resolve("first.jsonl"));
        RunSummary second = once(runtime, plainFirst ? shapedRollout : plainRollout, dir.resolve("second.jsonl"));
        plain.add((plainFirst ? first : second).turnsPerSecond());
        shaped.add((plainFirst ? second : first).turnsPerSecond());
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // a temp directory left behind is harmless
      }
    }
    return new Result(plain, shaped, warmup);
  }

  /**
   * One measured rollout into {@code file}, deleted right after: the rounds write gigabytes between them,
   * and a file left behind would be written back to disk while later rounds run, slowing whichever side
   * happens to be running then (its pages are dropped unwritten when it is deleted within seconds).
   */
  private static RunSummary once(EpisodeRuntime runtime, Rollout rollout, Path file) throws InterruptedException {
    try (EpisodeStore store = EpisodeStore.open(file)) {
      return runtime.run(rollout, store::append, e -> {}).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark rollout failed: " + e.getCause(), e.getCause());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // removed with the directory at the end
      }
    }
  }
}
