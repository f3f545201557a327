package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where finished episodes go (the store, a learner, a test's list). Called from event-loop threads: it
 * must not block; it returns a stage that completes once the episode is safely taken. Thread-safe.
 */
@FunctionalInterface
public interface EpisodeSink {
  CompletionStage<Void> accept(Episode episode);

  /** A sink that drops everything (benchmarks of the bare runtime). */
  static EpisodeSink discard() {
    return e -> CompletableFuture.completedFuture(null);
  }
}
