package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.store.EpisodeStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's typed-episodes example works on a real run's file (ReadmeExamplesTest checks the README shows it). */
class TypedEpisodesTest {
  @Test
  void theExampleReadsTheFeasibleRangeOfEveryTurnOfAnOracleRun(@TempDir Path dir) throws Exception {
    var provider = Registry.load().environments().get("guess-number");
    BoundEnvironment env = BoundEnvironment.ofUnchecked(provider, provider.defaultConfig());
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeRuntime runtime = EpisodeRuntime.start(); EpisodeStore store = EpisodeStore.open(file)) {
      runtime.run(new Rollout("oracle", env, "oracle", env.oracle().orElseThrow(), RolloutOptions.of(6, 6, 3)),
          store::append, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    List<List<Integer>> narrowing = TypedEpisodes.narrowing(file);
    assertEquals(6, narrowing.size());
    for (List<Integer> counts : narrowing) {
      assertTrue(counts.size() >= 2 && counts.get(1) < counts.get(0), "bisection halves the range: " + counts);
      assertEquals(1, counts.get(counts.size() - 1), "bisection ends on one feasible number: " + counts);
      for (int i = 1; i < counts.size(); i++) {
        assertTrue(counts.get(i) <= counts.get(i - 1), "no guess widens the range: " + counts);
      }
    }
    assertTrue(TypedEpisodes.everyLastRangeHoldsTheTarget(file));
  }
}
