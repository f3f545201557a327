package dev.ludus.api.chat;

import io.vertx.core.Vertx;

/**
 * Chat clients by endpoint: the same {@link ChatClient} for equal {@link ChatEndpoint}s, so that every user of
 * one endpoint (agents, simulated users, judges) shares its connection pool, circuit breaker, concurrency cap
 * and cache. A plugin context holds one ({@link dev.ludus.api.PluginContext#chatClient(ChatEndpoint)}).
 *
 * <p>Thread-safe. Life-cycle: it owns its clients (their users never close them) and {@link #close()} closes
 * them all; the Vert.x it runs on is not its own.
 */
public interface ChatClients extends AutoCloseable {
  /** The client of {@code endpoint}, made on first use. */
  ChatClient client(ChatEndpoint endpoint);

  @Override
  void close();

  /**
   * Makes a {@link ChatClients} on a Vert.x instance. Found through {@link java.util.ServiceLoader} (the
   * {@code agents} module registers the OpenAI-compatible one), so that a plugin context in {@code env-api}
   * can lend chat clients without depending on their implementation.
   */
  interface Factory {
    /** New clients running on {@code vertx}, which they never close. */
    ChatClients open(Vertx vertx);
  }
}
