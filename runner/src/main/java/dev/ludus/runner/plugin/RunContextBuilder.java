package dev.ludus.runner.plugin;

import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * Builds the {@link PluginContext} of one run: what the runtime lends every provider it creates. The run's
 * configuration adds to it here (named chat clients, when they come, are declared on this builder and built
 * by the context's constructor). Not thread-safe; build once.
 */
public final class RunContextBuilder {
  final Vertx vertx;
  final Registry registry;

  private RunContextBuilder(Vertx vertx, Registry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** A context over the runtime's {@code vertx} (lent, never closed by the context) and {@code registry}. */
  public static RunContextBuilder on(Vertx vertx, Registry registry) {
    return new RunContextBuilder(vertx, registry);
  }

  /** The context; its owner (the runtime) closes it before it closes Vert.x. */
  public PluginContext.Owned build() {
    return new RunContext(this);
  }
}
