package dev.ludus.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.testenv.CountdownProvider;
import dev.ludus.shaping.ShapingPipeline;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shaper in a separate jar on the class path plugs in by name, with no change to Ludus. */
class PluginJarShaperTest {
  @Test
  void aShaperFromItsOwnJarIsFoundByNameAndFillsTheLedger(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = PluginJars.jar(dir, "acme.rewards.BonusShaper",
        PluginJars.shaperSource("acme.rewards", "BonusShaper", "acme-bonus", 0.25, List.of()),
        "dev.ludus.api.ShaperProvider")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName("acme.rewards.BonusShaper"),
          "the plugin is not on Ludus's own class path");
      assertFalse(Registry.load(getClass().getClassLoader()).shapers().contains("acme-bonus"));

      Registry registry = Registry.load(loader);
      BoundEnvironment env = new CountdownProvider().bind(new CountdownProvider.Config(3, 0, 0, false, 0));
      ShapingPipeline pipeline = ShapingFactory.build(registry, ShapingSpec.read("""
          shapers:
            - name: outcome
            - name: acme-bonus
              weight: 2
          """), env);
      ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
      try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults())) {
        runtime.run(new Rollout("plugin", env, "random", env.randomAgent(), RolloutOptions.of(4, 4, 1), pipeline::scoreAsync),
            e -> {
              got.add(e);
              return CompletableFuture.completedFuture(null);
            }, EpisodeListener.none()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      assertEquals(4, got.size());
      for (Episode e : got) {
        List<LedgerEntry> bonus = e.ledger().stream().filter(l -> l.source().equals("acme-bonus")).toList();
        assertEquals(3, bonus.size());
        for (LedgerEntry l : bonus) {
          assertEquals(0.25, l.raw());
          assertEquals(0.5, l.value(), "weight 2 applies");
        }
        double[] rewards = ShapingPipeline.turnRewards(e);
        assertEquals(0.5, rewards[0], 1e-12);
        assertEquals(1.5, rewards[2], 1e-12, "the last turn adds the outcome 1.0");
      }
    }
  }
}
