package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PackedSample;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.runtime.EpisodeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Token-in/token-out with a windowed history on gridworld seen whole: each turn's recorded prompt is the rules and
 * the latest observation only, so no turn's prompt continues the previous one; packing gives every turn a row of its
 * own holding exactly the prompt and output the policy saw and wrote, and the learner scores every trained token
 * with the log-probability recorded at rollout (ratio 1).
 */
class HistoryWindowPackingTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void windowedGridworldTurnsPackOneRowEachExactlyAsThePolicySawThem() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "gridworld", "{width: 5, height: 5, maxTurns: 8}");
    assertTrue(env.observationsSupersede());
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      List<String> corpus = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(3, 3,
          TokenizerCorpus.SEED));
      DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 16, 2, 512)
          .withBpe(DjlLmAgentProvider.Bpe.of(400, corpus)).withMaxNewTokens(4).withSeed(5).withBatching(64, 1)
          .withHistoryWindow(1);
      try (DjlLmAgent policy = (DjlLmAgent) new DjlLmAgentProvider().create(config, env)) {
        List<Episode> played = PlayedEpisodes.play(runtime, "window", env, "djl-lm", policy, 3, 7);

        List<Sample> samples = new ArrayList<>();
        List<PackedSample> rows = new ArrayList<>();
        int[] system = null;
        for (Episode e : played) {
          assertTrue(e.failure() == null, String.valueOf(e.failure()));
          List<Sample> episode = new ArrayList<>();
          for (Turn t : e.turns()) {
            int[] prompt = t.tokens().promptIds();
            String text = policy.tokenizer().decode(prompt);
            assertEquals(1, count(text, "Turns left:"), "one observation in the prompt: " + text);
            int left = 8 - episode.size();
            assertTrue(text.contains("Turns left: " + left + "."), "the latest observation (" + left + " left): " + text);
            // the rules, as rendered at the first turn, open every prompt
            int[] head = IntStream.of(prompt).limit(3).toArray();
            system = system == null ? head : system;
            assertArrayEquals(system, head, "every prompt opens with the same rules");
            episode.add(Sample.of(t.tokens(), 1.0).withTemperature(config.temperature()));
          }
          List<PackedSample> packed = PackedSample.pack(episode);
          assertEquals(episode.size(), packed.size(), "no windowed turn continues another: one row per turn");
          for (PackedSample row : packed) {
            Sample s = row.turns().get(0);
            assertArrayEquals(IntStream.concat(IntStream.of(s.promptIds()), IntStream.of(s.outputIds())).toArray(),
                row.ids(), "a row is exactly its turn's recorded prompt and output");
          }
          samples.addAll(episode);
          rows.addAll(packed);
        }
        assertTrue(samples.size() >= 8, "played " + samples.size() + " turns");
        try (PolicyLearner learner = new PolicyLearner(policy.trainable(), null,
            LearnerConfig.defaults().withMicroBatchTokens(8192))) {
          UpdateStats stats = learner.updatePacked(rows);
          assertEquals(samples.size(), stats.samples());
          assertEquals(1.0, stats.ratioMin(), 2e-3, "smallest ratio");
          assertEquals(1.0, stats.ratioMax(), 2e-3, "largest ratio");
        }
      }
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
