package dev.ludus.api;

/**
 * Registers a simulated user under a name. Stateless and thread-safe. Environments get one through
 * {@link PluginContext#simulator(PluginRef)}, so that a configuration can swap it.
 *
 * <p>Implement one of the two {@code create} forms: the plain one when the user needs nothing from the
 * runtime, the one taking a {@link PluginContext} when it does (a language model behind the shared Vert.x).
 *
 * @param <C> the simulator's configuration record
 */
public interface SimulatorProvider<C> extends Plugin<C> {
  /**
   * A new simulated user for one episode. The caller closes it. A provider that implements the context
   * form instead leaves this one alone, and then it throws {@link UnsupportedOperationException}.
   */
  default UserSimulator create(C config) {
    throw PluginForms.needsContext("simulator", this);
  }

  /** A new simulated user made with the run's {@code context}; the caller closes it. By default the plain form. */
  default UserSimulator create(C config, PluginContext context) {
    return create(config);
  }
}
