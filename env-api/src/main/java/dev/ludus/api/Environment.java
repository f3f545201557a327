package dev.ludus.api;

/**
 * A synchronous environment: plain Java, like a Gymnasium environment. Write this one unless a step waits
 * on a model, the network or a database; then write an {@link AsyncEnvironment}.
 *
 * <p>Contract (checked by {@link EnvChecker}): {@link #reset} before any {@link #step}; the same task,
 * seed and actions give the same observations, rewards, flags and signals; a malformed action is not an exception but an observation
 * that says what was wrong plus the {@link StandardSignals#INVALID_ACTION} signal. The order of calls
 * (reset before step, no step after the end, close once) is enforced by the wrapper that
 * {@link BoundEnvironment#create()} puts around every environment, so an implementation need not check
 * it. Not thread-safe.
 */
public non-sealed interface Environment extends AnyEnvironment {
  /** Starts an episode on {@code task}; {@code seed} drives any randomness of the dynamics. */
  Reset reset(Task task, long seed);

  /** Applies the agent's message. */
  StepResult step(Message action);
}
