package dev.ludus.api;

/**
 * An environment instance: a single-agent one, synchronous ({@link Environment}) or asynchronous
 * ({@link AsyncEnvironment}), or a multi-agent one with seats ({@link AnyMultiAgentEnvironment}, made by a
 * {@link MultiAgentEnvironmentProvider}). The runtime adapts all of them. Code that handles single-agent
 * environments only tells them apart with {@code instanceof Environment} / {@code instanceof AsyncEnvironment};
 * {@link BoundEnvironment#multiAgent()} says beforehand which kind a provider makes.
 *
 * <p>Life-cycle: created by {@link EnvironmentProvider#create}, reset once per episode, stepped until
 * its step result is done, then closed by whoever created it. {@link #close()} is idempotent. An instance
 * serves one episode at a time and need not be thread-safe; the runtime never calls it concurrently.
 */
public sealed interface AnyEnvironment extends AutoCloseable
    permits Environment, AsyncEnvironment, AnyMultiAgentEnvironment {
  /** Releases resources; calling it again does nothing. */
  @Override
  default void close() {}
}
