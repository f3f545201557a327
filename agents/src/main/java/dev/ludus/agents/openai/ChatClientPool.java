package dev.ludus.agents.openai;

import dev.ludus.api.ConfigException;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatClients;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out one {@link ChatClient} per {@link ChatEndpoint}: every caller asking for an equal endpoint (the
 * {@code openai} agent, an LLM-driven simulated user, an LLM judge) gets the same client, so that they share
 * its connection pool, circuit breaker, concurrency cap and cache. Clients are made on first use on the pool's
 * Vert.x instance.
 *
 * <p>Thread-safety: thread-safe. Life-cycle: the pool owns its clients: their users never close them, and
 * {@link #close()} closes them all (pending requests are answered with {@code closed}). The Vert.x instance is
 * the caller's; the pool never closes it. {@link #close()} is idempotent; after it, {@link #client} throws.
 */
public final class ChatClientPool implements ChatClients {
  private final Vertx vertx;
  private final Function<String, String> environment;
  private final Logger log;
  private final ConcurrentHashMap<ChatEndpoint, OpenAiChatClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A pool whose clients run on {@code vertx} and read API keys from the process environment. */
  public ChatClientPool(Vertx vertx) {
    this(vertx, System::getenv, LoggerFactory.getLogger(ChatClient.class));
  }

  /** A pool reading environment variables through {@code environment} (a seam for tests: Java cannot set them). */
  ChatClientPool(Vertx vertx, Function<String, String> environment, Logger log) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * The client of {@code endpoint}: the same instance for equal endpoints. Throws {@link ConfigException} when
   * the endpoint requires an API key whose variable is unset, and {@link IllegalStateException} once the pool
   * is closed.
   */
  @Override
  public ChatClient client(ChatEndpoint endpoint) {
    return openAiClient(endpoint);
  }

  OpenAiChatClient openAiClient(ChatEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (closed) {
      throw new IllegalStateException("the chat client pool is closed");
    }
    OpenAiChatClient c = clients.computeIfAbsent(endpoint, e -> new OpenAiChatClient(e, vertx, environment, log));
    if (closed) {
      // lost a race with close(): do not hand out a client nobody will close
      c.close();
      throw new IllegalStateException("the chat client pool is closed");
    }
    return c;
  }

  /** A snapshot of every client's statistics, one per endpoint in use. */
  public List<ChatClientStats> stats() {
    List<ChatClientStats> out = new ArrayList<>();
    for (OpenAiChatClient c : clients.values()) {
      out.add(c.stats());
    }
    return out;
  }

  /** Closes every client; pending requests are answered with {@code closed}. The Vert.x instance stays open. */
  @Override
  public void close() {
    closed = true;
    for (OpenAiChatClient c : clients.values()) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "ChatClientPool[" + clients.size() + " endpoints" + (closed ? ", closed" : "") + "]";
  }
}
