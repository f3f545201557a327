package dev.ludus.runner.plugin;

import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The runtime's plugin context: the run's Vert.x (the runtime's own, lent), its worker pool for blocking
 * work, the registry the run was configured from, simulated users by name, and the resources the run's
 * plugins hand over, closed once each in reverse order when the runtime closes the context (before Vert.x).
 *
 * <p>Design note: the life-cycle and sharing come from {@link PluginContext#sharing}; this class adds what
 * only a run has, built from its {@link RunContextBuilder}. The default
 * methods ({@link #simulator}, {@link #blocking}) run against this object, so a simulator created here is
 * given the run's context with all it offers. Thread-safe.
 */
final class RunContext implements PluginContext.Owned {
  private final PluginContext.Owned base;

  RunContext(RunContextBuilder builder) {
    this.base = PluginContext.sharing(builder.vertx, builder.registry, builder.chatEndpoints);
  }

  @Override
  public Vertx vertx() {
    return base.vertx();
  }

  @Override
  public Executor blockingExecutor() {
    return base.blockingExecutor();
  }

  @Override
  public Registry registry() {
    return base.registry();
  }

  @Override
  public Map<String, ChatEndpoint> chatEndpoints() {
    return base.chatEndpoints();
  }

  @Override
  public ChatClient chatClient(ChatEndpoint endpoint) {
    return base.chatClient(endpoint);
  }

  @Override
  public ChatClient chatClient(String name) {
    return base.chatClient(name); // counted under name, for the run's summary
  }

  @Override
  public Map<String, dev.ludus.api.chat.ChatUsage> chatUsage() {
    return base.chatUsage();
  }

  @Override
  public <T extends AutoCloseable> T own(T resource) {
    return base.own(resource);
  }

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<? extends T> create) {
    return base.shared(key, type, create);
  }

  @Override
  public void close() {
    base.close();
  }

  @Override
  public String toString() {
    return "run plugin context";
  }
}
