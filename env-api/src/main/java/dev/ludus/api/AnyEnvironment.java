package dev.ludus.api;

/**
 * An environment instance, either synchronous ({@link Environment}) or asynchronous
 * ({@link AsyncEnvironment}). The runtime adapts both.
 *
 * <p>Life-cycle: created by {@link EnvironmentProvider#create}, reset once per episode, stepped until
 * its step result is done, then closed by whoever created it. {@link #close()} is idempotent. An instance
 * serves one episode at a time and need not be thread-safe; the runtime never calls it concurrently.
 */
public sealed interface AnyEnvironment extends AutoCloseable permits Environment, AsyncEnvironment {
  /** Releases resources; calling it again does nothing. */
  @Override
  default void close() {}
}
