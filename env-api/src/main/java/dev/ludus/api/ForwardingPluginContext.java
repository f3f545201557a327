package dev.ludus.api;

import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatUsage;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A plugin context that hands every call to another one ({@link #delegate()}), for a context that changes one
 * thing: override what differs. What the interface builds from other calls ({@link #simulator}, {@link #blocking})
 * is not forwarded, so it runs against this context and sees its overrides (a simulator made through it is given
 * this context). Thread-safe if the delegate is.
 */
public abstract class ForwardingPluginContext implements PluginContext {
  /** The context calls go to. */
  protected abstract PluginContext delegate();

  @Override
  public Vertx vertx() {
    return delegate().vertx();
  }

  @Override
  public Executor blockingExecutor() {
    return delegate().blockingExecutor();
  }

  @Override
  public Registry registry() {
    return delegate().registry();
  }

  @Override
  public Map<String, ChatEndpoint> chatEndpoints() {
    return delegate().chatEndpoints();
  }

  @Override
  public ChatClient chatClient(ChatEndpoint endpoint) {
    return delegate().chatClient(endpoint);
  }

  @Override
  public ChatClient chatClient(String name) {
    return delegate().chatClient(name); // the delegate's counted view, so its usage includes this call
  }

  @Override
  public Map<String, ChatUsage> chatUsage() {
    return delegate().chatUsage();
  }

  @Override
  public <T extends AutoCloseable> T own(T resource) {
    return delegate().own(resource);
  }

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<? extends T> create) {
    return delegate().shared(key, type, create);
  }
}
