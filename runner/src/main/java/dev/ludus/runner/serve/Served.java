package dev.ludus.runner.serve;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.SignalKey;
import dev.ludus.shaping.ShapingPipeline;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every session of one server shares: the environment, the shaping pipeline (or null), the options, the
 * names of the signals that may be shown (the environment's declared signals that are not secret), and the
 * counter that gives a reset without a seed its task. Immutable but for the counter; thread-safe.
 */
final class Served {
  final BoundEnvironment env;
  final ShapingPipeline shaping; // null: no --shaping, the reward is the environment's
  final ServeOptions options;
  final Set<String> shownSignals;
  final AtomicLong nextTask = new AtomicLong();
  final AtomicLong nextEpisode = new AtomicLong();

  Served(BoundEnvironment env, ShapingPipeline shaping, ServeOptions options) {
    this.env = env;
    this.shaping = shaping;
    this.options = options;
    Set<String> shown = new TreeSet<>();
    for (SignalKey<?> k : env.signals()) {
      if (!k.secret()) {
        shown.add(k.name());
      }
    }
    this.shownSignals = Set.copyOf(shown);
  }

  boolean blocking() {
    return options.blocking() || env.blocking();
  }
}
