package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Test helper: plays a rollout to the end and returns its episodes, failing the test on a failed episode. */
final class PlayedEpisodes {
  private PlayedEpisodes() {}

  /** {@code episodes} episodes of {@code agent} (named {@code agentName}) from {@code seed}, all at once. */
  static List<Episode> play(EpisodeRuntime runtime, String runId, BoundEnvironment env, String agentName, Agent agent,
      int episodes, long seed) throws Exception {
    List<Episode> out = Collections.synchronizedList(new ArrayList<>());
    runtime.run(new Rollout(runId, env, agentName, agent, RolloutOptions.of(episodes, episodes, seed)), e -> {
      out.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get();
    for (Episode e : out) {
      assertTrue(e.failure() == null, env.name() + ": " + e.failure());
    }
    return out;
  }
}
