package dev.ludus.runner.learn.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Catalog;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.plugin.PluginJars;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An advantage estimator in a jar of its own registers by name, with its own typed config, like any plugin. */
class PluginJarEstimatorTest {
  private static final String SOURCE = """
      package acme.learn;

      import dev.ludus.runner.learn.advantage.*;
      import java.util.*;

      /** Every token of every turn gets the same advantage: value. */
      public final class ConstantEstimator implements EstimatorProvider<ConstantEstimator.Config> {
        public record Config(double value) {
          public Config {
            if (!Double.isFinite(value)) throw new IllegalArgumentException("value must be finite, was " + value);
          }
        }
        public String name() { return "acme-constant"; }
        public String description() { return "one advantage for every token"; }
        public String formula() { return "A = value"; }
        public boolean needsGroups() { return false; }
        public Class<Config> configType() { return Config.class; }
        public Config defaultConfig() { return new Config(1.0); }
        public AdvantageEstimator create(Config c) {
          return new AdvantageEstimator() {
            public String name() { return "acme-constant"; }
            public List<TokenAdvantages> estimate(AdvantageBatch batch) {
              List<TokenAdvantages> out = new ArrayList<>();
              for (int g = 0; g < batch.groups().size(); g++) {
                for (var e : batch.groups().get(g)) {
                  float[][] a = new float[e.turns().size()][];
                  for (int t = 0; t < a.length; t++) {
                    var trace = e.turns().get(t).tokens();
                    a[t] = new float[trace == null ? 0 : trace.outputIds().length];
                    Arrays.fill(a[t], (float) c.value());
                  }
                  out.add(new TokenAdvantages(e, g, a, null));
                }
              }
              return out;
            }
          };
        }
      }
      """;

  @Test
  void anEstimatorFromItsOwnJarIsFoundByNameAndBindsItsConfig(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = PluginJars.jar(dir, "acme.learn.ConstantEstimator", SOURCE,
        EstimatorProvider.class.getName())) {
      assertFalse(AdvantageEstimators.catalog().contains("acme-constant"), "not on Ludus's own class path");
      Catalog<EstimatorProvider<?>> catalog = AdvantageEstimators.load(loader);
      assertTrue(catalog.names().containsAll(List.of("acme-constant", "grpo", "igpo")), catalog.names().toString());

      EstimatorProvider<?> provider = catalog.get("acme-constant");
      Object config = PluginConfigs.bind(provider, Json.YAML.readTree("value: -0.5"));
      AdvantageEstimator estimator = AdvantageEstimators.create(provider, config);
      TokenAdvantages out = estimator.estimateGroup(List.of(Fixtures.rewards("a", 1, 0))).get(0);
      assertEquals(-0.5f, out.get(0, 0));
      assertEquals(-0.5f, out.get(1, 0));

      ConfigException bad = assertThrows(ConfigException.class,
          () -> PluginConfigs.bind(provider, Json.YAML.readTree("valu: 2")));
      assertTrue(bad.getMessage().contains("'valu'") && bad.getMessage().contains("value"), bad.getMessage());
    }
  }
}
