package dev.ludus.api;

import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The context of an environment bound without one: the class path's registry and simulated users, nothing
 * that would need closing. Stateless apart from the registry, loaded once on first use; thread-safe.
 */
final class MinimalContext implements PluginContext {
  static final MinimalContext INSTANCE = new MinimalContext();

  private static final String INSTEAD = " (it has no life-cycle, so nothing would close what it makes); run the "
      + "plugin through the runtime (ludus rollout), or give it a context you own and close: "
      + "provider.bind(config).withContext(PluginContext.standalone())";

  private MinimalContext() {}

  /** Holds the class path's registry, loaded when first asked for. */
  private static final class ClassPath {
    static final Registry REGISTRY = Registry.load();
  }

  static Registry classPathRegistry() {
    return ClassPath.REGISTRY;
  }

  @Override
  public Registry registry() {
    return classPathRegistry();
  }

  @Override
  public Vertx vertx() {
    throw refused("no Vert.x");
  }

  @Override
  public Executor blockingExecutor() {
    throw refused("no worker threads");
  }

  @Override
  public <T extends AutoCloseable> T own(T resource) {
    throw refused("nowhere to hand resources to");
  }

  @Override
  public <T> T shared(String key, Class<T> type, Supplier<? extends T> create) {
    throw refused("no shared values ('" + key + "')");
  }

  @Override
  public Map<String, ChatEndpoint> chatEndpoints() {
    return Map.of();
  }

  @Override
  public ChatClient chatClient(ChatEndpoint endpoint) {
    throw refused("no chat clients");
  }

  private static IllegalStateException refused(String what) {
    return new IllegalStateException("the minimal plugin context, which an environment bound without a context "
        + "gets, has " + what + INSTEAD);
  }

  @Override
  public String toString() {
    return "minimal plugin context";
  }
}
