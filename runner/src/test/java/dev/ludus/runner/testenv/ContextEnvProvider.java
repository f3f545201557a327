package dev.ludus.runner.testenv;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code test-context-env}: a plugin that takes the {@link PluginContext}. Every instance shares two
 * resources of the run (opened once, logged when they close), and every step asks a worker thread for its
 * answer; the signals say whether the step ran on an event loop of the context's Vert.x and the answer on a
 * worker thread.
 */
public final class ContextEnvProvider implements EnvironmentProvider<ContextEnvProvider.Config> {
  /** Whether the step was called on an event loop of the context's Vert.x. */
  public static final SignalKey<Boolean> CONTEXT_VERTX = SignalKey.of("context-vertx", Boolean.class);
  /** Whether the answer was computed on a worker thread. */
  public static final SignalKey<Boolean> ON_WORKER = SignalKey.of("on-worker", Boolean.class);

  /** What happened to the shared resources, in order: "open log", "open pool", "close pool", ... */
  public static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();
  /** The contexts instances were created with. */
  public static final Queue<PluginContext> CONTEXTS = new ConcurrentLinkedQueue<>();

  /**
   * @param turns steps until the episode ends with success
   * @param chatClient the name of a chat endpoint of the run to take at creation, or null for none
   */
  public record Config(int turns, String chatClient) {
    /** Ends after {@code turns} steps and takes no chat client. */
    public Config(int turns) {
      this(turns, null);
    }
  }

  /** A resource of the run that logs its opening and closing. */
  record Resource(String name) implements AutoCloseable {
    Resource {
      EVENTS.add("open " + name);
    }

    @Override
    public void close() {
      EVENTS.add("close " + name);
    }
  }

  @Override
  public String name() {
    return "test-context-env";
  }

  @Override
  public String description() {
    return "test environment that uses the plugin context";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(2, null);
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, CONTEXT_VERTX, ON_WORKER);
  }

  @Override
  public AnyEnvironment create(Config config, PluginContext context) {
    CONTEXTS.add(context);
    if (config.chatClient() != null) {
      context.chatClient(config.chatClient()); // fails naming the declared endpoints when the run has none by that name
    }
    context.shared("test-context-env/log", Resource.class, () -> new Resource("log"));
    context.shared("test-context-env/pool", Resource.class, () -> new Resource("pool"));
    return new AsyncEnvironment() {
      private int turn;

      @Override
      public CompletionStage<Reset> reset(Task task, long seed) {
        turn = 0;
        return CompletableFuture.completedFuture(Reset.of(List.of(Message.user("say anything"))));
      }

      @Override
      public CompletionStage<StepResult> step(Message action) {
        Context loop = Vertx.currentContext();
        boolean contextVertx = loop != null && loop.isEventLoopContext() && loop.owner() == context.vertx();
        boolean done = ++turn >= config.turns();
        return context.blocking(Context::isOnWorkerThread).thenApply(worker -> new StepResult(
            List.of(Message.user("ok")), done ? 1 : 0, done, false,
            Signals.builder().put(CONTEXT_VERTX, contextVertx).put(ON_WORKER, worker)
                .put(StandardSignals.SUCCESS, done).build()));
      }
    };
  }

  @Override
  public Agent randomAgent(Config config) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("hello")));
  }
}
