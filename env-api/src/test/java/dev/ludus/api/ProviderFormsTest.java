package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A provider implements the plain create form or the one taking the context; either works where it should. */
class ProviderFormsTest {
  /** Repeats "ok" for three steps; the last context it was created with is kept. */
  static final class Steps implements Environment {
    int turn;

    @Override
    public Reset reset(Task task, long seed) {
      turn = 0;
      return Reset.of(List.of(Message.user("say ok")));
    }

    @Override
    public StepResult step(Message action) {
      boolean done = ++turn >= 3;
      return new StepResult(List.of(Message.user("ok")), done ? 1 : 0, done, false,
          done ? Signals.of(StandardSignals.SUCCESS, true) : Signals.empty());
    }
  }

  /** Takes the context: asks it for Vert.x when {@code needsVertx}, and hands it a resource to close. */
  static class ContextEnv implements EnvironmentProvider<NoConfig> {
    final boolean needsVertx;
    final List<PluginContext> contexts = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    ContextEnv(boolean needsVertx) {
      this.needsVertx = needsVertx;
    }

    @Override
    public String name() {
      return "context-env";
    }

    @Override
    public String description() {
      return "";
    }

    @Override
    public Class<NoConfig> configType() {
      return NoConfig.class;
    }

    @Override
    public NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }

    @Override
    public AnyEnvironment create(NoConfig config, PluginContext context) {
      contexts.add(context);
      if (needsVertx) {
        context.vertx();
        context.shared("context-env/pool", AutoCloseable.class, () -> () -> closed.add("pool"));
      }
      return new Steps();
    }

    @Override
    public Set<SignalKey<?>> signals() {
      return Set.of(StandardSignals.SUCCESS);
    }

    @Override
    public Agent randomAgent(NoConfig config) {
      return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("ok")));
    }
  }

  @Test
  void thePlainFormOfAProviderThatTakesTheContextFailsSayingWhatToCall() {
    ContextEnv p = new ContextEnv(false);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> p.create(NoConfig.INSTANCE));
    assertTrue(e.getMessage().startsWith("environment 'context-env' (" + ContextEnv.class.getName()
        + ") implements create(config, ..., PluginContext) only"), e.getMessage());
    assertTrue(e.getMessage().contains("bind(config).create()"), e.getMessage());
  }

  @Test
  void boundWithoutAContextItIsCreatedWithTheMinimalOne() {
    ContextEnv p = new ContextEnv(false);
    BoundEnvironment bound = p.bind(NoConfig.INSTANCE);
    assertFalse(bound.hasContext());
    bound.create().close();
    assertSame(PluginContext.minimal(), p.contexts.get(0));
  }

  @Test
  void anEnvironmentThatNeedsVertxFailsOnTheMinimalContextButPassesTheCheckerWithAStandaloneOneItCloses() {
    ContextEnv p = new ContextEnv(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.bind(NoConfig.INSTANCE).create());
    assertTrue(e.getMessage().contains("no Vert.x"), e.getMessage());
    EnvChecker.check(p.bind(NoConfig.INSTANCE)).assertPassed();
    PluginContext used = p.contexts.get(p.contexts.size() - 1);
    assertTrue(used != PluginContext.minimal());
    assertEquals(List.of("pool"), p.closed, "the checker's own context closed what the environment shared");
  }

  @Test
  void aContextGivenWithWithContextIsTheOneInstancesAreCreatedWith() {
    ContextEnv p = new ContextEnv(true);
    try (PluginContext.Owned context = PluginContext.standalone()) {
      BoundEnvironment bound = p.bind(NoConfig.INSTANCE).withContext(context);
      assertTrue(bound.hasContext());
      assertSame(bound, bound.probe());
      EnvChecker.check(bound).assertPassed();
      assertTrue(p.contexts.stream().allMatch(c -> c == context));
      assertEquals(List.of(), p.closed, "the pool lives as long as the context");
    }
    assertEquals(List.of("pool"), p.closed);
  }

  @Test
  void theSimplePathIsUnchanged() {
    // a provider that implements only the plain form, as every provider did before the context
    EnvironmentProvider<NoConfig> plain = new EnvironmentProvider<>() {
      @Override
      public String name() {
        return "plain";
      }

      @Override
      public String description() {
        return "";
      }

      @Override
      public Class<NoConfig> configType() {
        return NoConfig.class;
      }

      @Override
      public NoConfig defaultConfig() {
        return NoConfig.INSTANCE;
      }

      @Override
      public AnyEnvironment create(NoConfig config) {
        return new Steps();
      }

      @Override
      public Set<SignalKey<?>> signals() {
        return Set.of(StandardSignals.SUCCESS);
      }

      @Override
      public Agent randomAgent(NoConfig config) {
        return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("ok")));
      }
    };
    assertTrue(plain.create(NoConfig.INSTANCE) instanceof Steps);
    assertTrue(plain.create(NoConfig.INSTANCE, PluginContext.minimal()) instanceof Steps);
    EnvChecker.check(plain.bind(NoConfig.INSTANCE)).assertPassed();
  }

  @Test
  void aProbeThatFailsOnConfigurationNamesTheEnvironment() {
    EnvironmentProvider<NoConfig> broken = new ContextEnv(false) {
      @Override
      public AnyEnvironment create(NoConfig config, PluginContext context) {
        throw new ConfigException("user: unknown simulator 'nobody'; known simulators: (none)");
      }
    };
    ConfigException e = assertThrows(ConfigException.class, () -> broken.bind(NoConfig.INSTANCE).probe());
    assertEquals("environment 'context-env': user: unknown simulator 'nobody'; known simulators: (none)",
        e.getMessage());
  }

  @Test
  void shapersTransformsAndCombinersTakeTheContextTheSameWay() {
    ShaperProvider<NoConfig> shaper = new ShaperProvider<>() {
      @Override
      public String name() {
        return "ctx-shaper";
      }

      @Override
      public String description() {
        return "";
      }

      @Override
      public Class<NoConfig> configType() {
        return NoConfig.class;
      }

      @Override
      public NoConfig defaultConfig() {
        return NoConfig.INSTANCE;
      }

      @Override
      public RewardShaper create(NoConfig config, PluginContext context) {
        return new RewardShaper() {
          @Override
          public Scope scope() {
            return Scope.EPISODE;
          }

          @Override
          public List<RewardContribution> shape(Episode episode) {
            return List.of(new RewardContribution(0, context.registry() != null ? "has-registry" : "none", 1));
          }
        };
      }
    };
    assertEquals("has-registry", shaper.create(NoConfig.INSTANCE, PluginContext.minimal())
        .shape(null).get(0).component());
    assertThrows(UnsupportedOperationException.class, () -> shaper.create(NoConfig.INSTANCE));
  }
}
