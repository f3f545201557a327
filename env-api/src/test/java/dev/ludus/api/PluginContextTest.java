package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ludus.api.testing.TestRegistries;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The plugin context's life-cycle, sharing, workers and simulated users, outside the runtime. */
class PluginContextTest {
  /** A test simulator that says its configured opening and remembers the context it was made with. */
  public static final class GreeterProvider implements SimulatorProvider<GreeterProvider.Config> {
    public record Config(String opening) {
      public Config {
        if (opening == null || opening.isBlank()) {
          throw new IllegalArgumentException("opening must not be blank");
        }
      }
    }

    static final List<PluginContext> CONTEXTS = new ArrayList<>();
    /** The configurations {@link #create} was given, in order. */
    static final List<Config> CONFIGS = new ArrayList<>();
    /** Calls of {@link #defaultConfig}: binding a configuration over the defaults asks for them. */
    static final AtomicInteger DEFAULTS = new AtomicInteger();

    @Override
    public String name() {
      return "test-greeter";
    }

    @Override
    public String description() {
      return "says its opening";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public Config defaultConfig() {
      DEFAULTS.incrementAndGet();
      return new Config("hello");
    }

    @Override
    public UserSimulator create(Config config, PluginContext context) {
      synchronized (CONTEXTS) {
        CONTEXTS.add(context);
        CONFIGS.add(config);
      }
      return new UserSimulator() {
        @Override
        public CompletionStage<UserTurn> start(Task task, long seed) {
          return CompletableFuture.completedFuture(new UserTurn(Message.user(config.opening()), Signals.empty(), false));
        }

        @Override
        public CompletionStage<UserTurn> respond(Message agentMessage) {
          return start(null, 0);
        }
      };
    }
  }

  private static final Registry REGISTRY = TestRegistries.with(SimulatorProvider.class, GreeterProvider.class);

  /** Records when it is closed, into a shared log. */
  record Logged(String name, List<String> log) implements AutoCloseable {
    @Override
    public void close() {
      log.add(name);
    }
  }

  @Test
  void ownedResourcesCloseOnceInReverseOrderWhenTheContextCloses() {
    List<String> log = new ArrayList<>();
    PluginContext.Owned context = PluginContext.standalone(REGISTRY);
    context.own(new Logged("first", log));
    context.shared("test/second", Logged.class, () -> new Logged("second", log));
    context.own(new Logged("third", log));
    assertEquals(List.of(), log);
    context.close();
    context.close();
    assertEquals(List.of("third", "second", "first"), log);
  }

  @Test
  void aResourceThatFailsToCloseDoesNotStopTheOthersAndIsReportedAfterwards() {
    List<String> log = new ArrayList<>();
    PluginContext.Owned context = PluginContext.standalone(REGISTRY);
    context.own(new Logged("first", log));
    context.own(() -> {
      throw new IllegalStateException("broken pool");
    });
    context.own(new Logged("third", log));
    LudusException e = assertThrows(LudusException.class, context::close);
    assertTrue(e.getMessage().contains("broken pool"), e.getMessage());
    assertEquals(List.of("third", "first"), log);
  }

  @Test
  void aResourceHandedOverAfterCloseIsClosedAtOnceAndRefused() {
    List<String> log = new ArrayList<>();
    PluginContext.Owned context = PluginContext.standalone(REGISTRY);
    context.close();
    assertThrows(IllegalStateException.class, () -> context.own(new Logged("late", log)));
    assertEquals(List.of("late"), log);
  }

  @Test
  void aSharedValueIsBuiltOnceAndRefusedUnderAnotherType() {
    AtomicInteger built = new AtomicInteger();
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      StringBuilder a = context.shared("test/key", StringBuilder.class, () -> new StringBuilder("v" + built.incrementAndGet()));
      StringBuilder b = context.shared("test/key", StringBuilder.class, () -> new StringBuilder("v" + built.incrementAndGet()));
      assertSame(a, b);
      assertEquals(1, built.get());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> context.shared("test/key", Integer.class, () -> 1));
      assertTrue(e.getMessage().contains("'test/key'") && e.getMessage().contains("Integer"), e.getMessage());
    }
  }

  @Test
  void blockingWorkRunsOnAWorkerThreadOfTheContextsVertx() throws Exception {
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      String where = context.blocking(() -> Context.isOnWorkerThread() + " " + Thread.currentThread().getName())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertTrue(where.startsWith("true vert.x-worker-thread"), where);
      assertThrows(Exception.class, () -> context.blocking(() -> {
        throw new java.io.IOException("disk gone");
      }).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aContextSharingAVertxLendsItAndLeavesItRunningWhenItCloses() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PluginContext.Owned context = PluginContext.sharing(vertx, REGISTRY);
      assertSame(vertx, context.vertx());
      context.close();
      assertEquals(7, vertx.executeBlocking(() -> 7).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theMinimalContextOffersTheRegistryAndRefusesWhatWouldNeedClosingNamingWhatToUseInstead() {
    PluginContext minimal = PluginContext.minimal();
    assertTrue(minimal.registry() != null);
    for (Runnable refused : List.<Runnable>of(minimal::vertx, minimal::blockingExecutor,
        () -> minimal.own(() -> {}), () -> minimal.shared("k", String.class, () -> "v"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, refused::run);
      assertTrue(e.getMessage().contains("PluginContext.standalone()"), e.getMessage());
    }
  }

  @Test
  void aSimulatorIsFoundByNameConfiguredOverItsDefaultsAndGivenTheContext() throws Exception {
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      PluginRef ref = new PluginRef("test-greeter", JsonMapper.builder().build().readTree("{\"opening\": \"hi there\"}"));
      try (UserSimulator user = context.simulator(ref)) {
        assertEquals("hi there", user.start(Task.generated("x", 0), 0).toCompletableFuture().get().reply().content());
      }
      synchronized (GreeterProvider.CONTEXTS) {
        assertSame(context, GreeterProvider.CONTEXTS.get(GreeterProvider.CONTEXTS.size() - 1));
      }
      try (UserSimulator user = context.simulator(PluginRef.of("test-greeter"))) {
        assertEquals("hello", user.start(Task.generated("x", 0), 0).toCompletableFuture().get().reply().content());
      }
    }
  }

  @Test
  void anUnknownSimulatorOrABadConfigFailsNamingWhatIsAllowed() throws Exception {
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      ConfigException unknown = assertThrows(ConfigException.class, () -> context.simulator(PluginRef.of("nobody")));
      assertEquals("unknown simulator 'nobody'; known simulators: test-greeter", unknown.getMessage());
      JsonMapper json = JsonMapper.builder().build();
      ConfigException field = assertThrows(ConfigException.class,
          () -> context.simulator(new PluginRef("test-greeter", json.readTree("{\"openng\": \"x\"}"))));
      assertEquals("config for 'test-greeter': unknown field 'openng'; allowed fields: opening (a string)",
          field.getMessage());
      ConfigException value = assertThrows(ConfigException.class,
          () -> context.simulator(new PluginRef("test-greeter", json.readTree("{\"opening\": \" \"}"))));
      assertEquals("config for 'test-greeter': opening must not be blank", value.getMessage());
    }
  }

  @Test
  void aSecondEpisodeOfTheSameUserDoesNotBindItsConfigurationAgainAndDifferentConfigurationsStayApart()
      throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY);
        PluginContext.Owned other = PluginContext.standalone(TestRegistries.with(SimulatorProvider.class,
            GreeterProvider.class))) {
      String tree = "{\"opening\": \"bound once\"}";
      int defaults = GreeterProvider.DEFAULTS.get();
      GreeterProvider.Config first = configOf(context, new PluginRef("test-greeter", json.readTree(tree)));
      assertEquals(defaults + 1, GreeterProvider.DEFAULTS.get(), "the first episode binds over the defaults");
      // an equal reference read again (a new tree), as the next episode's environment asks for it
      GreeterProvider.Config second = configOf(context, new PluginRef("test-greeter", json.readTree(tree)));
      assertSame(first, second, "the second episode's configuration is the one bound for the first");
      assertEquals(defaults + 1, GreeterProvider.DEFAULTS.get(), "the second episode does not bind again");

      GreeterProvider.Config apart = configOf(context,
          new PluginRef("test-greeter", json.readTree("{\"opening\": \"bound twice\"}")));
      assertEquals("bound twice", apart.opening());
      assertEquals("bound once", configOf(context, new PluginRef("test-greeter", json.readTree(tree))).opening());
      assertEquals("hello", configOf(context, PluginRef.of("test-greeter")).opening());

      GreeterProvider.Config otherRegistry = configOf(other, new PluginRef("test-greeter", json.readTree(tree)));
      assertEquals("bound once", otherRegistry.opening());
      assertTrue(otherRegistry != first, "another registry's provider binds for itself");
    }
  }

  @Test
  void aConfigurationThatFailsToBindFailsAgainWithItsMessage() throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      for (int i = 0; i < 2; i++) {
        ConfigException e = assertThrows(ConfigException.class,
            () -> context.simulator(new PluginRef("test-greeter", json.readTree("{\"opening\": \"\"}"))));
        assertEquals("config for 'test-greeter': opening must not be blank", e.getMessage());
      }
    }
  }

  /** The configuration the simulator made for {@code ref} was given. */
  private static GreeterProvider.Config configOf(PluginContext context, PluginRef ref) {
    context.simulator(ref).close();
    synchronized (GreeterProvider.CONTEXTS) {
      return GreeterProvider.CONFIGS.get(GreeterProvider.CONFIGS.size() - 1);
    }
  }
}
