package dev.ludus.api;

/**
 * Registers an agent backend under a name. Stateless and thread-safe.
 *
 * <p>Implement one of the two {@code create} forms: the plain one when the agent needs nothing from the
 * runtime, the one taking a {@link PluginContext} when it does (the shared Vert.x for its HTTP client,
 * worker threads). The runtime always calls the context form.
 *
 * @param <C> the backend's configuration record
 */
public interface AgentProvider<C> extends Plugin<C> {
  /**
   * A new agent for episodes of {@code environment} (which oracle and random agents use; model backends
   * ignore it). The caller closes it. A provider that implements the context form instead leaves this one
   * alone, and then it throws {@link UnsupportedOperationException} saying to call the context form.
   */
  default Agent create(C config, BoundEnvironment environment) {
    throw PluginForms.needsContext("agent", this);
  }

  /** A new agent made with the run's {@code context}; the caller closes it. By default the plain form. */
  default Agent create(C config, BoundEnvironment environment, PluginContext context) {
    return create(config, environment);
  }
}
