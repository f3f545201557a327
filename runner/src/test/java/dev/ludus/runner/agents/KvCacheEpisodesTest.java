package dev.ludus.runner.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.KvCacheStatistics;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Registry;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.train.TokenizerCorpus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Point 4 of issue 19 through the runtime: a {@code djl-lm} policy playing episodes through the runtime
 * (concurrent episodes at different turns sharing batches), greedy and
 * seeded-sampled, produces with its cross-turn key/value cache the same tokens and log-probs (within 1e-4) as
 * without it, while reading most prompt tokens from the cache, and holds nothing once the episodes have ended.
 */
class KvCacheEpisodesTest {
  private static final Registry REGISTRY = Registry.load();
  private static final float TOLERANCE = 1e-4f;
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static List<Episode> play(BoundEnvironment env, DjlLmAgent agent, long seed) throws Exception {
    ConcurrentLinkedQueue<Episode> out = new ConcurrentLinkedQueue<>();
    RolloutOptions options = RolloutOptions.of(4, 2, seed).withMaxTurns(4);
    runtime.run(new Rollout("kv", env, "djl-lm", agent, options), e -> {
      out.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get(5, TimeUnit.MINUTES);
    List<Episode> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparing(Episode::id));
    return sorted;
  }

  @Test
  void cachedGenerationPlaysEveryEnvironmentExactlyAsUncachedGeneration() throws Exception {
    // every environment's prompts go through the same template and generator: one keeps the suite fast (the
    // dialogues' prompts, 600 tokens and more under this small tokenizer, would need a larger context)
    for (String name : List.of("guess-number")) {
      BoundEnvironment env = Plugins.environment(REGISTRY, name, null);
      List<String> corpus = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(4, 4, TokenizerCorpus.SEED));
      try (LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(corpus, 384);
          LanguageModel model = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 640, tokenizer.vocabSize()),
              "cpu", 3)) {
        for (double temperature : new double[] {0, 1}) {
          DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withMaxNewTokens(8)
              .withSampling(temperature, 0, 1).withBatching(8, 2);
          String what = name + " at temperature " + temperature;
          List<Episode> plain;
          List<Episode> cached;
          KvCacheStatistics s;
          try (DjlLmAgent without = DjlLmAgent.sharing(model, tokenizer, config.withKvCache(false, 1, 1))) {
            plain = play(env, without, 11);
          }
          try (DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, config.withKvCache(true, 1024, 256))) {
            cached = play(env, with, 11);
            s = with.kvCacheStatistics();
          }
          assertEquals(0, s.entries(), what + ": the runtime reports every episode's end, which releases its cache: "
              + s.summary());
          assertEquals(0, s.bytes(), what + ": " + s.summary());
          assertTrue(s.released() > 0, what + ": " + s.summary());
          assertEquals(plain.size(), cached.size(), what);
          long turns = 0;
          for (int i = 0; i < plain.size(); i++) {
            Episode a = plain.get(i);
            Episode b = cached.get(i);
            assertEquals(a.id(), b.id(), what);
            assertNotEquals(EpisodeStatus.FAILED, b.status(), what + ": " + b.failure());
            assertEquals(a.turns().size(), b.turns().size(), what + ", episode " + a.id());
            for (int t = 0; t < a.turns().size(); t++) {
              TokenTrace x = trace(a.turns().get(t));
              TokenTrace y = trace(b.turns().get(t));
              String at = what + ", episode " + a.id() + ", turn " + t;
              assertArrayEquals(x.promptIds(), y.promptIds(), at);
              assertArrayEquals(x.outputIds(), y.outputIds(), at);
              assertArrayEquals(x.logProbs(), y.logProbs(), TOLERANCE, at);
              turns++;
            }
          }
          assertEquals(turns, s.lookups(), what + ": " + s.summary());
          assertEquals(0, s.cutPrompts(), what + ": the context holds every prompt: " + s.summary());
          assertTrue(s.hits() + s.prefixMismatches() > 0 && s.reusedShare() > 0.3, what + ": " + s.summary());
          System.out.println(what + ": " + s.summary());
        }
      }
    }
  }

  private static TokenTrace trace(Turn turn) {
    return turn.tokens();
  }
}
