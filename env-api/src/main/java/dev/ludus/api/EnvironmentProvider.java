package dev.ludus.api;

import java.util.Optional;
import java.util.Set;

/**
 * Registers an environment under a name. Stateless and thread-safe.
 *
 * @param <C> the environment's configuration record
 */
public interface EnvironmentProvider<C> extends Plugin<C> {
  /** A new environment instance, not yet reset. The caller closes it. */
  AnyEnvironment create(C config);

  /** The tasks to play; by default generated from seeds. */
  default TaskSource tasks(C config) {
    return TaskSource.generated(name());
  }

  /** Every signal this environment may publish. */
  Set<SignalKey<?>> signals();

  /** An agent that solves the tasks (for tests and demonstrations), if the environment has one. */
  default Optional<Agent> oracle(C config) {
    return Optional.empty();
  }

  /** An agent that acts uniformly at random within the environment's action grammar. */
  Agent randomAgent(C config);

  /**
   * Whether the synchronous environment's steps may block or take long (I/O, heavy compute), so that the
   * runtime runs them on worker threads instead of an event loop.
   */
  default boolean blocking(C config) {
    return false;
  }

  /** This provider with its configuration fixed. */
  default BoundEnvironment bind(C config) {
    return BoundEnvironment.of(this, config);
  }
}
