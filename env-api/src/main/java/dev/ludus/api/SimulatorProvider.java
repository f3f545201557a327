package dev.ludus.api;

/**
 * Registers a simulated user under a name. Stateless and thread-safe.
 *
 * @param <C> the simulator's configuration record
 */
public interface SimulatorProvider<C> extends Plugin<C> {
  /** A new simulated user for one episode. The caller closes it. */
  UserSimulator create(C config);
}
