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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code ludus bench shaping}: runtime turns/s with no shaping against the same rollout scored by a
 * shaping pipeline, in one run, as a ratio. Both run with the episode store on, grouped the same way; the
 * two are measured alternately {@code rounds} times after a warm-up and the medians are compared.
 */
public final class ShapingBenchmark {
  /** The medians and the ratio. */
  public record Result(double plainTurnsPerSecond, double shapedTurnsPerSecond, List<Double> plain,
      List<Double> shaped) {
    public double ratio() {
      return shapedTurnsPerSecond / plainTurnsPerSecond;
    }
  }

  private ShapingBenchmark() {}

  public static Result run(BoundEnvironment env, String agentName, Agent agent, ShapingPipeline pipeline, int episodes,
      int concurrency, int groupSize, int rounds) throws InterruptedException {
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-bench-shaping-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Double> plain = new ArrayList<>();
    List<Double> shaped = new ArrayList<>();
    RolloutOptions options = RolloutOptions.of(episodes, concurrency, 0).withGroupSize(groupSize);
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      for (int round = -2; round < rounds; round++) { // two warm-up rounds
        RunSummary a = once(runtime, new Rollout("plain", env, agentName, agent, options, Scorer.none()),
            dir.resolve("plain-" + round + ".jsonl"));
        RunSummary b = once(runtime, new Rollout("shaped", env, agentName, agent, options, pipeline::score),
            dir.resolve("shaped-" + round + ".jsonl"));
        if (round >= 0) {
          plain.add(a.turnsPerSecond());
          shaped.add(b.turnsPerSecond());
        }
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
    return new Result(median(plain), median(shaped), plain, shaped);
  }

  private static RunSummary once(EpisodeRuntime runtime, Rollout rollout, Path file) throws InterruptedException {
    try (EpisodeStore store = EpisodeStore.open(file)) {
      return runtime.run(rollout, store::append, e -> {}).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark rollout failed: " + e.getCause(), e.getCause());
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
