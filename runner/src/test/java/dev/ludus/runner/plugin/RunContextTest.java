package dev.ludus.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.testenv.ContextEnvProvider;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runtime creates the run's plugin context over its own Vert.x and closes it, before Vert.x. */
class RunContextTest {
  private static final Registry REGISTRY = Registry.load();

  @BeforeEach
  void clearLogs() {
    ContextEnvProvider.EVENTS.clear();
    ContextEnvProvider.CONTEXTS.clear();
  }

  private static Agent hello() {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("hello")));
  }

  @Test
  void theContextLendsTheRuntimesOwnVertx() {
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), REGISTRY)) {
      assertSame(runtime.vertx(), runtime.pluginContext().vertx());
      assertSame(runtime.pluginContext(), runtime.pluginContext(), "one context per runtime");
      assertSame(REGISTRY, runtime.pluginContext().registry());
    }
  }

  @Test
  void closingTheRuntimeClosesWhatPluginsHandedOverOnceInReverseOrderWhileVertxStillRuns() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), REGISTRY);
    PluginContext context = runtime.pluginContext();
    Vertx vertx = runtime.vertx();
    for (String name : List.of("first", "second", "third")) {
      context.own(() -> {
        // Vert.x must still be up while the context closes
        int answer = vertx.executeBlocking(() -> 42).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        log.add(name + " " + answer);
      });
    }
    runtime.close();
    runtime.close();
    assertEquals(List.of("third 42", "second 42", "first 42"), log);
    assertThrows(IllegalStateException.class, runtime::pluginContext);
  }

  @Test
  void anEnvironmentHandedOverWithoutAContextIsCreatedWithTheRuntimesAndRunsOnItsVertx() throws Exception {
    BoundEnvironment env = new ContextEnvProvider().bind(new ContextEnvProvider.Config(3));
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary summary;
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000),
        REGISTRY)) {
      summary = runtime.run(new Rollout("ctx", env, "hello", hello(), RolloutOptions.of(20, 8, 1)), e -> {
        got.add(e);
        return CompletableFuture.completedFuture(null);
      }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(ContextEnvProvider.CONTEXTS.stream().allMatch(c -> c == runtime.pluginContext()),
          "every instance got the runtime's context");
      assertEquals(List.of("open log", "open pool"), List.copyOf(ContextEnvProvider.EVENTS),
          "shared once for the whole run");
      assertEquals(0, runtime.blockedThreadWarnings());
    }
    assertEquals(20, summary.completed(), summary.toString());
    assertEquals(20, ContextEnvProvider.CONTEXTS.size());
    for (Episode e : got) {
      e.turns().forEach(t -> {
        assertEquals(true, t.signals().get(ContextEnvProvider.CONTEXT_VERTX).orElseThrow(), "stepped on its loops");
        assertEquals(true, t.signals().get(ContextEnvProvider.ON_WORKER).orElseThrow(), "blocking work on workers");
      });
    }
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void anEnvironmentBoundWithAContextKeepsIt() throws Exception {
    try (PluginContext.Owned own = PluginContext.standalone(REGISTRY);
        EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), REGISTRY)) {
      BoundEnvironment env = new ContextEnvProvider().bind(new ContextEnvProvider.Config(1)).withContext(own);
      runtime.run(new Rollout("own", env, "hello", hello(), RolloutOptions.of(2, 2, 1)),
          e -> CompletableFuture.completedFuture(null), EpisodeListener.none())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(ContextEnvProvider.CONTEXTS.stream().allMatch(c -> c == own));
    }
  }
}
