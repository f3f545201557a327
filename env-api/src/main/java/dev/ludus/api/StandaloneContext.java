package dev.ludus.api;

import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatClients;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A plugin context that owns its resources: what plugins hand over, the shared values, the chat clients, and,
 * unless one was lent, a Vert.x it creates on first use. The runtime's context is one of these over the
 * runtime's Vert.x.
 *
 * <p>Thread-safe: one lock guards the resources and shared values; a shared value is built under it, so two
 * callers never build the same key twice.
 */
final class StandaloneContext implements PluginContext.Owned {
  private final Supplier<Registry> registry;
  private final Vertx borrowed;
  private final Executor workers = this::runBlocking;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final Map<String, Object> shared = new HashMap<>();
  private final Map<String, ChatEndpoint> endpoints;
  private ChatClients chatClients;
  private final Map<String, CountingChatClient> named = new java.util.TreeMap<>();
  private Vertx ownVertx;
  private boolean closed;

  /**
   * @param borrowed the Vert.x to lend (not closed here), or null to create one on first use
   * @param endpoints the chat endpoints declared by name
   */
  StandaloneContext(Supplier<Registry> registry, Vertx borrowed, Map<String, ChatEndpoint> endpoints) {
    this.registry = registry;
    this.borrowed = borrowed;
    this.endpoints = Map.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
  }

  @Override
  public Map<String, ChatEndpoint> chatEndpoints() {
    return endpoints;
  }

  @Override
  public ChatClient chatClient(ChatEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    ChatClients clients;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the plugin context is closed; no chat client for " + endpoint.baseUrl());
      }
      if (chatClients == null) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ChatClients.Factory factory = ServiceLoader.load(ChatClients.Factory.class,
                loader != null ? loader : StandaloneContext.class.getClassLoader()).findFirst()
            .orElseThrow(() -> new ConfigException("no chat-client implementation is on the class path (the agents "
                + "module registers one as a " + ChatClients.Factory.class.getName() + ")"));
        chatClients = factory.open(vertx());
        resources.push(chatClients);
      }
      clients = chatClients;
    }
    return clients.client(endpoint);
  }

  @Override
  public ChatClient chatClient(String name) {
    Objects.requireNonNull(name, "name");
    synchronized (this) {
      CountingChatClient c = named.get(name);
      if (c != null && !closed) {
        return c;
      }
    }
    ChatClient shared = PluginContext.Owned.super.chatClient(name);
    synchronized (this) {
      return named.computeIfAbsent(name, n -> new CountingChatClient(shared));
    }
  }

  @Override
  public synchronized Map<String, dev.ludus.api.chat.ChatUsage> chatUsage() {
    Map<String, dev.ludus.api.chat.ChatUsage> out = new java.util.TreeMap<>();
    named.forEach((n, c) -> out.put(n, c.usage()));
    return java.util.Collections.unmodifiableMap(out);
  }

  @Override
  public Registry registry() {
    return registry.get();
  }

  @Override
  public Vertx vertx() {
    if (borrowed != null) {
      return borrowed;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the plugin context is closed");
      }
      if (ownVertx == null) {
        ownVertx = Vertx.vertx();
      }
      return ownVertx;
    }
  }

  @Override
  public Executor blockingExecutor() {
    return workers;
  }

  private void runBlocking(Runnable task) {
    Objects.requireNonNull(task, "task");
    vertx().executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }

  @Override
  public <T extends AutoCloseable> T own(T resource) {
    Objects.requireNonNull(resource, "resource");
    synchronized (this) {
      if (!closed) {
        resources.push(resource);
        return resource;
      }
    }
    IllegalStateException refused = new IllegalStateException("the plugin context is closed; closed "
        + resource + " at once");
    try {
      resource.close();
    } catch (Exception e) {
      refused.addSuppressed(e);
    }
    throw refused;
  }

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<? extends T> create) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(create, "create");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the plugin context is closed; no shared value '" + key + "'");
      }
      Object value = shared.get(key);
      if (value == null) {
        value = Objects.requireNonNull(create.get(), "the shared value '" + key + "' was created as null");
        if (!type.isInstance(value)) {
          throw new IllegalStateException("the shared value '" + key + "' was created as a "
              + value.getClass().getName() + ", not a " + type.getName());
        }
        shared.put(key, value);
        if (value instanceof AutoCloseable c) {
          resources.push(c);
        }
      } else if (!type.isInstance(value)) {
        throw new IllegalStateException("the shared value '" + key + "' is a " + value.getClass().getName()
            + ", not a " + type.getName() + "; prefix keys with the plugin's name");
      }
      return type.cast(value);
    }
  }

  @Override
  public void close() {
    Vertx toClose;
    Deque<AutoCloseable> toRun;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toRun = new ArrayDeque<>(resources);
      resources.clear();
      shared.clear();
      chatClients = null;
      toClose = ownVertx;
    }
    RuntimeException failure = null;
    for (AutoCloseable r : toRun) { // push adds at the head: newest first
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new LudusException("a resource of the plugin context failed to close: " + r + ": " + e, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (toClose != null) {
      try {
        toClose.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failure == null) {
          failure = new LudusException("the plugin context's Vert.x did not close: " + e, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return borrowed != null ? "plugin context (lent Vert.x)" : "standalone plugin context";
  }
}
