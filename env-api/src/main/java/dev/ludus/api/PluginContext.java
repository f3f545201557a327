package dev.ludus.api;

import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatClients;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the runtime lends a plugin when it creates one: the run's shared Vert.x, worker threads for blocking
 * work, the registry, simulated users by name, shared chat clients (named ones from the run's {@code llm:}
 * section), and a place for what must be closed when the run ends.
 *
 * <p>When to take it: a provider whose instances wait on the network (an HTTP client on the shared
 * Vert.x), do blocking work (JDBC, a Lucene index, inference), use another plugin by name (a simulated user
 * the configuration chooses), or hold something for the whole run (a connection pool, an index) implements
 * the {@code create} form that takes the context ({@link EnvironmentProvider#create(Object, PluginContext)}
 * and its peers on every provider). A provider that needs none of it implements the plain form, exactly as
 * before; the runtime calls the context form, which by default calls the plain one.
 *
 * <p>Life-cycle: the runtime creates one context per run, sharing its Vert.x, and closes it when the run
 * ends, also when the run fails, before it closes Vert.x. Closing runs each resource handed to {@link #own}
 * or built by {@link #shared} once, in reverse order. Plugins never close the context; its owner holds it as
 * {@link Owned}. Outside the runtime: {@link #standalone()} (tests, {@link EnvChecker}) owns a Vert.x of its
 * own, created on first use; {@link #minimal()} (what {@link EnvironmentProvider#bind} gives when no context
 * is chosen) offers the registry and simulated users only and refuses the rest with a message saying what to
 * use instead.
 *
 * <p>Thread-safe: plugins call it from event loops and worker threads.
 */
public interface PluginContext {
  /**
   * The run's Vert.x, shared with the runtime's event loops: for HTTP clients, timers and verticles. Never
   * close it. Code running on one of its event loops must not block.
   */
  Vertx vertx();

  /**
   * Runs tasks on worker threads (the runtime's worker pool), where blocking is allowed: JDBC, file or index
   * reads, in-process inference.
   */
  Executor blockingExecutor();

  /**
   * Runs {@code work} on a worker thread; the stage completes there with its result or exception. Call it
   * from an event loop instead of blocking one, e.g. {@code return context.blocking(() -> db.query(q));}.
   */
  default <T> CompletionStage<T> blocking(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = new CompletableFuture<>();
    blockingExecutor().execute(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result;
  }

  /** Every registered plugin: the registry the run was configured from. */
  Registry registry();

  /**
   * A new simulated user for one episode, found by name in the {@link #registry()} and configured by
   * {@code user.config()} over its defaults; the caller closes it. The simulator's provider is given this
   * context. Fails with a {@link ConfigException} naming an unknown simulator and the known ones, or the bad
   * field of its configuration and what is allowed. The configuration is bound once per provider and distinct
   * reference and then shared by the episodes (configurations are immutable values).
   */
  default UserSimulator simulator(PluginRef user) {
    Objects.requireNonNull(user, "user");
    return create(registry().simulators().get(user.name()), user);
  }

  /**
   * {@link #simulator(PluginRef)} for the configuration field {@code field} of the caller, which a failure's message
   * names first ({@code user: unknown simulator 'x'; known simulators: ...}).
   */
  default UserSimulator simulator(String field, PluginRef user) {
    try {
      return simulator(user);
    } catch (ConfigException e) {
      throw new ConfigException(field + ": " + e.getMessage(), e);
    }
  }

  private <C> UserSimulator create(SimulatorProvider<C> provider, PluginRef user) {
    return Objects.requireNonNull(provider.create(BoundConfigs.bind(provider, user), this),
        "simulator '" + provider.name() + "' created null");
  }

  /**
   * The chat endpoints the run declares by name (a run configuration's {@code llm:} section, e.g. {@code judge},
   * {@code user-model}), so that configurations name an endpoint rather than repeat it. Empty when none.
   */
  Map<String, ChatEndpoint> chatEndpoints();

  /**
   * The run's client of {@code endpoint}: the same instance for equal endpoints whoever asks (an agent, a
   * simulated user, a judge), so that they share one connection pool, circuit breaker, concurrency cap and
   * cache. Made on first use, on {@link #vertx()}, by the {@link ChatClients.Factory} on the class path (the
   * {@code agents} module's OpenAI-compatible one); owned by the context: never close it.
   *
   * @throws ConfigException if the endpoint needs an API key whose variable is unset, or no implementation is
   *     on the class path
   */
  ChatClient chatClient(ChatEndpoint endpoint);

  /**
   * The run's client of the endpoint declared as {@code name} in its {@code llm:} section (see
   * {@link #chatClient(ChatEndpoint)}); fails with a {@link ConfigException} naming the declared names. The
   * runtime's and the standalone contexts hand out a view of that shared client (the same view for the same name)
   * that counts what is asked through it under {@code name} ({@link #chatUsage()}) and sends it through the one
   * client of the endpoint: same pool, breaker, concurrency cap and cache.
   */
  default ChatClient chatClient(String name) {
    Objects.requireNonNull(name, "name");
    ChatEndpoint endpoint = chatEndpoints().get(name);
    if (endpoint == null) {
      String declared = String.join(", ", new TreeSet<>(chatEndpoints().keySet()));
      throw new ConfigException("no chat endpoint named '" + name + "'; the run's llm: section declares "
          + (declared.isEmpty() ? "none" : declared));
    }
    return chatClient(endpoint);
  }

  /**
   * The requests and tokens of each named client handed out by {@link #chatClient(String)} so far, by name (for
   * the run's {@code summary.json}); empty when the context counts none.
   */
  default Map<String, dev.ludus.api.chat.ChatUsage> chatUsage() {
    return Map.of();
  }

  /**
   * Hands {@code resource} to the context, which closes it when the run ends (resources close in reverse
   * order of hand-over, each once); returns it. For what lives as long as the run, not for what one
   * environment instance or episode uses (close that in the instance's own {@code close}). Once the context
   * is closed, it closes {@code resource} at once and throws {@link IllegalStateException}.
   */
  <T extends AutoCloseable> T own(T resource);

  /**
   * The one value under {@code key} for the whole run: built by {@code create} on first use, on the calling
   * thread, then returned to every caller; owned (see {@link #own}) when it is {@link AutoCloseable}. For a
   * pool, an index or a model that every instance of an environment shares. Prefix keys with the plugin's
   * name. The runtime creates one environment instance on the command's thread before the run starts, so
   * what that instance builds here is ready before any event loop asks for it.
   *
   * @throws IllegalStateException if the key holds a value of another type
   */
  <T> T shared(String key, Class<T> type, Supplier<? extends T> create);

  /** The view of the context its owner holds: the owner (the runtime, a test) closes it. */
  interface Owned extends PluginContext, AutoCloseable {
    /**
     * Closes what was handed over, once each in reverse order, then the Vert.x it created (never a borrowed
     * one). Idempotent. A resource that fails to close does not stop the others; the first failure is thrown
     * afterwards with the rest suppressed.
     */
    @Override
    void close();
  }

  /**
   * A context of its own for tests, checks and tools outside the runtime: the class path's registry
   * (loaded once), and a Vert.x of its own, created on first use and closed with the context.
   */
  static Owned standalone() {
    return new StandaloneContext(MinimalContext::classPathRegistry, null, Map.of());
  }

  /** A context of its own over {@code registry}, with a Vert.x of its own created on first use. */
  static Owned standalone(Registry registry) {
    return standalone(registry, Map.of());
  }

  /** A context of its own over {@code registry} declaring the named chat {@code endpoints}. */
  static Owned standalone(Registry registry, Map<String, ChatEndpoint> endpoints) {
    Objects.requireNonNull(registry, "registry");
    return new StandaloneContext(() -> registry, null, endpoints);
  }

  /** A context over {@code registry} that lends {@code vertx} (borrowed: closing the context leaves it running). */
  static Owned sharing(Vertx vertx, Registry registry) {
    return sharing(vertx, registry, Map.of());
  }

  /**
   * A context over {@code registry} that lends {@code vertx} (borrowed) and declares the named chat
   * {@code endpoints}: what the runtime builds for a run.
   */
  static Owned sharing(Vertx vertx, Registry registry, Map<String, ChatEndpoint> endpoints) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(registry, "registry");
    return new StandaloneContext(() -> registry, vertx, endpoints);
  }

  /**
   * The context of an environment bound without one ({@link EnvironmentProvider#bind}) and used outside the
   * runtime: the class path's registry and simulated users; {@link #vertx()}, {@link #blockingExecutor()},
   * {@link #own}, {@link #shared} and {@link #chatClient(ChatEndpoint)} throw {@link IllegalStateException} naming what to use instead,
   * because nothing would ever close what they make. Nothing to close.
   */
  static PluginContext minimal() {
    return MinimalContext.INSTANCE;
  }
}
