package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Plays a run's matches somewhere other than the runtime's own event loops (cluster mode: a coordinator that leases
 * them to workers). Passed to {@link EpisodeRuntime#run(Rollout, EpisodeSink, EpisodeListener, RunControl,
 * MatchPlayer)}; must be thread-safe.
 */
@FunctionalInterface
public interface MatchPlayer {
  /**
   * Plays match {@code index}. The stage completes with its episodes, one per seat (one for a single-agent
   * environment), not scored, with the ids a local run would give them; it fails when this player declines the
   * match, and the runtime then plays it itself. It must complete exactly once for every index it is given.
   */
  CompletionStage<List<Episode>> play(long index);
}
