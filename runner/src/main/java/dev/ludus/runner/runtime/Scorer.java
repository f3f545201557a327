package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.List;

/**
 * Scores a finished group of episodes on the same task (fills their reward ledgers) before they go to the
 * sinks: the shaping pipeline plugs in here. Called on an event loop with a group complete; it must be
 * quick CPU work and thread-safe.
 */
@FunctionalInterface
public interface Scorer {
  /** The group, scored, in the same order. */
  List<Episode> score(List<Episode> group);

  /** Leaves episodes as they are. */
  static Scorer none() {
    return group -> group;
  }
}
