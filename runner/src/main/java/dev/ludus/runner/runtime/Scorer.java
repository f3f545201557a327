package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

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

  /**
   * {@code scorer}, adding the wall time of each of its calls, in nanoseconds, to {@code nanos} (a
   * {@link LongAdder}, since groups are scored on several event loops at once).
   */
  static Scorer timed(Scorer scorer, LongAdder nanos) {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(nanos, "nanos");
    return group -> {
      long start = System.nanoTime();
      try {
        return scorer.score(group);
      } finally {
        nanos.add(System.nanoTime() - start);
      }
    };
  }
}
