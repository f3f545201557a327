package dev.ludus.runner.plugin;

import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the {@link PluginContext} of one run: what the runtime lends every provider it creates. The run's
 * configuration adds to it here: the named chat endpoints of its {@code llm:} section. Not thread-safe; build
 * once.
 */
public final class RunContextBuilder {
  final Vertx vertx;
  final Registry registry;
  Map<String, ChatEndpoint> chatEndpoints = Map.of();

  private RunContextBuilder(Vertx vertx, Registry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** A context over the runtime's {@code vertx} (lent, never closed by the context) and {@code registry}. */
  public static RunContextBuilder on(Vertx vertx, Registry registry) {
    return new RunContextBuilder(vertx, registry);
  }

  /** Declares the run's named chat {@code endpoints} (its {@code llm:} section). */
  public RunContextBuilder chatEndpoints(Map<String, ChatEndpoint> endpoints) {
    this.chatEndpoints = Map.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    return this;
  }

  /** The context; its owner (the runtime) closes it before it closes Vert.x. */
  public PluginContext.Owned build() {
    return new RunContext(this);
  }
}
