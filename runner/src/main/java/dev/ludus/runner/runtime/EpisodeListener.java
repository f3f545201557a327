package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;

/**
 * Told of every finished episode once its sink has taken it (progress bars, metrics), and of every episode's
 * start. Called from any thread; must be thread-safe and must not block.
 */
@FunctionalInterface
public interface EpisodeListener {
  void onEpisode(Episode episode);

  /**
   * An episode started (in a multi-agent environment, once per seat of a match that started), so that
   * started minus finished is the number in flight. Does nothing by default.
   */
  default void onEpisodeStarted() {}

  static EpisodeListener none() {
    return e -> {};
  }
}
