package dev.ludus.api;

/**
 * Registers an agent backend under a name. Stateless and thread-safe.
 *
 * @param <C> the backend's configuration record
 */
public interface AgentProvider<C> extends Plugin<C> {
  /**
   * A new agent for episodes of {@code environment} (which oracle and random agents use; model backends
   * ignore it). The caller closes it.
   */
  Agent create(C config, BoundEnvironment environment);
}
