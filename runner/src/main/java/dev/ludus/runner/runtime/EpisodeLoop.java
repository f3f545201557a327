package dev.ludus.runner.runtime;

import io.vertx.core.Context;
import io.vertx.core.VerticleBase;

/**
 * A verticle that owns one event-loop context. The runtime deploys one instance per event loop and
 * places episodes on their contexts, so that episodes spread over every loop (a context obtained from a
 * non-Vert.x thread would be the same sticky context each time).
 */
final class EpisodeLoop extends VerticleBase {
  Context loopContext() {
    return context;
  }
}
