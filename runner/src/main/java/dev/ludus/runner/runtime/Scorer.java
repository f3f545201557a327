package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Scores a finished group of episodes on the same task (fills their reward ledgers) before they go to the
 * sinks: the shaping pipeline plugs in here ({@code pipeline::scoreAsync}). Called on an event loop with a
 * group complete: it must return at once, doing only quick CPU work on the calling thread and handing
 * anything that waits (a reward model, a judge) to other threads; the stage may complete on any thread,
 * and the runtime delivers the group's episodes on its event loop when it does. The stage must complete
 * (the shaping pipeline bounds its asynchronous shapers by a timeout); if it fails, or the scorer throws,
 * the group's episodes are recorded as failed with the reason. Thread-safe.
 */
@FunctionalInterface
public interface Scorer {
  /** The group, scored, in the same order. */
  CompletionStage<List<Episode>> score(List<Episode> group);

  /** Leaves episodes as they are. */
  static Scorer none() {
    return CompletableFuture::completedFuture;
  }

  /** A synchronous scorer: quick CPU work, run on the calling thread. */
  static Scorer synchronous(UnaryOperator<List<Episode>> scorer) {
    Objects.requireNonNull(scorer, "scorer");
    return group -> CompletableFuture.completedFuture(scorer.apply(group));
  }

  /**
   * {@code scorer}, adding the wall time of each of its stages, from the call until the stage completes,
   * in nanoseconds, to {@code nanos} (a {@link LongAdder}, since groups are scored on several threads at
   * once).
   */
  static Scorer timed(Scorer scorer, LongAdder nanos) {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(nanos, "nanos");
    return group -> {
      long start = System.nanoTime();
      CompletionStage<List<Episode>> stage;
      try {
        stage = scorer.score(group);
      } catch (RuntimeException e) {
        nanos.add(System.nanoTime() - start);
        throw e;
      }
      return stage.whenComplete((scored, error) -> nanos.add(System.nanoTime() - start));
    };
  }
}
