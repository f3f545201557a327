package dev.ludus.runner.plugin;

import dev.ludus.api.ForwardingPluginContext;
import dev.ludus.api.PluginContext;

/**
 * The runtime's plugin context: the run's Vert.x (the runtime's own, lent), its worker pool for blocking
 * work, the registry the run was configured from, simulated users by name, and the resources the run's
 * plugins hand over, closed once each in reverse order when the runtime closes the context (before Vert.x).
 *
 * <p>Design note: the life-cycle and sharing come from {@link PluginContext#sharing}; this class adds what
 * only a run has, built from its {@link RunContextBuilder}. The default
 * methods ({@link #simulator}, {@link #blocking}) run against this object, so a simulator created here is
 * given the run's context with all it offers. Thread-safe.
 */
final class RunContext extends ForwardingPluginContext implements PluginContext.Owned {
  private final PluginContext.Owned base;

  RunContext(RunContextBuilder builder) {
    this.base = PluginContext.sharing(builder.vertx, builder.registry, builder.chatEndpoints);
  }

  @Override
  protected PluginContext delegate() {
    return base;
  }

  @Override
  public void close() {
    base.close();
  }

  @Override
  public String toString() {
    return "run plugin context";
  }
}
