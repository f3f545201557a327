package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;

/**
 * Told of every finished episode once its sink has taken it (progress bars, metrics). Called from any
 * thread; must be thread-safe and must not block.
 */
@FunctionalInterface
public interface EpisodeListener {
  void onEpisode(Episode episode);

  static EpisodeListener none() {
    return e -> {};
  }
}
