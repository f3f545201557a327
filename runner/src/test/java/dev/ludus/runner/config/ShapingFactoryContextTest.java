package dev.ludus.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.NoConfig;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.TransformProvider;
import dev.ludus.api.testing.TestRegistries;
import dev.ludus.runner.testenv.CountdownProvider;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Shapers, combiners and transforms are created with the environment's plugin context. */
class ShapingFactoryContextTest {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static final Queue<PluginContext> CONTEXTS = new ConcurrentLinkedQueue<>();

  /** Common plumbing of the three test providers. */
  abstract static class Base {
    public String description() {
      return "";
    }

    public Class<NoConfig> configType() {
      return NoConfig.class;
    }

    public NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }

    static void saw(String what, PluginContext context) {
      SEEN.add(what);
      CONTEXTS.add(context);
    }
  }

  public static final class CtxShaper extends Base implements ShaperProvider<NoConfig> {
    @Override
    public String name() {
      return "test-ctx-shaper";
    }

    @Override
    public RewardShaper create(NoConfig config, PluginContext context) {
      saw("shaper", context);
      return new RewardShaper() {
        @Override
        public Scope scope() {
          return Scope.EPISODE;
        }

        @Override
        public List<RewardContribution> shape(Episode episode) {
          return List.of();
        }
      };
    }
  }

  public static final class CtxTransform extends Base implements TransformProvider<NoConfig> {
    @Override
    public String name() {
      return "test-ctx-transform";
    }

    @Override
    public RewardTransform create(NoConfig config, PluginContext context) {
      saw("transform", context);
      return values -> values.values();
    }
  }

  public static final class CtxCombiner extends Base implements CombinerProvider<NoConfig> {
    @Override
    public String name() {
      return "test-ctx-combiner";
    }

    @Override
    public RewardCombiner create(NoConfig config, PluginContext context) {
      saw("combiner", context);
      return components -> new RewardCombiner.Combination(
          components.stream().map(ComponentValues::values).toList(), null);
    }
  }

  @Test
  void everyPartOfThePipelineIsCreatedWithTheEnvironmentsContext() {
    Registry shapers = TestRegistries.with(ShaperProvider.class, CtxShaper.class);
    Registry registry = TestRegistries.with(TransformProvider.class, CtxTransform.class);
    Registry combiners = TestRegistries.with(CombinerProvider.class, CtxCombiner.class);
    try (PluginContext.Owned context = PluginContext.standalone(registry)) {
      BoundEnvironment env = new CountdownProvider().bind(new CountdownProvider().defaultConfig()).withContext(context);
      ShapingFactory.build(shapers, ShapingSpec.read("shapers: [{name: test-ctx-shaper}]"), env);
      ShapingFactory.build(registry, ShapingSpec.read(
          "{shapers: [{name: outcome}], transforms: [{name: test-ctx-transform, components: [outcome]}]}"), env);
      ShapingFactory.build(combiners, ShapingSpec.read(
          "{shapers: [{name: outcome}], combiner: {name: test-ctx-combiner}}"), env);
      assertEquals(List.of("shaper", "transform", "combiner"), List.copyOf(SEEN));
      CONTEXTS.forEach(c -> assertSame(context, c));
    }
  }
}
