package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.runner.learn.LearnerConfig.KlEstimator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner defects issue 19 found, each reproduced: the importance ratio of on-policy samples drawn at a
 * temperature other than 1, and the KL term against a frozen copy of the warm-started policy.
 */
class LearnerDefectsTest {
  private static final LmTokenizer TOKENIZER = LmTokenizer.wordLevel(LearnFixtures.WORDS);

  /** Replies the agent sampled at {@code temperature}, as samples with random advantages. */
  private static List<Sample> sampled(DjlLmAgent agent, double temperature, int count) throws Exception {
    Random rng = new Random(7);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AgentRequest request = new AgentRequest("e" + i, Task.generated("t", i), i, 0,
          List.of(Message.user("guess a number , higher or lower ?")), List.of());
      AgentResponse.Reply reply = (AgentResponse.Reply) agent.act(request).toCompletableFuture().get(30,
          TimeUnit.SECONDS);
      TokenTrace trace = reply.tokenTrace().orElseThrow();
      float[] advantages = new float[trace.outputIds().length];
      for (int j = 0; j < advantages.length; j++) {
        advantages[j] = (float) rng.nextGaussian();
      }
      out.add(Sample.of(trace, advantages).withTemperature(temperature));
    }
    return out;
  }

  /**
   * Issue 19: sampling at temperature T recorded tempered log-probabilities but the learner scored the
   * untempered model (and the sampler's excluded special tokens), so the ratio was wrong from the first step
   * (clip fractions 0.64 to 0.93 at T = 0.5). Samples the real sampler drew, scored by the learner before any
   * step, have importance ratio 1 at every temperature.
   */
  @Test
  void onPolicySamplesHaveImportanceRatioOneAtAnyTemperature_issue19() throws Exception {
    for (double temperature : new double[] {0.5, 1.0, 1.5}) {
      DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withArchitecture(2, 32, 4, 64)
          .withMaxNewTokens(6).withSampling(temperature, 0, 1.0);
      try (LanguageModel model = LearnFixtures.model(21);
          DjlLmAgent agent = DjlLmAgent.sharing(model, TOKENIZER, config);
          PolicyLearner learner = new PolicyLearner(agent.trainable(), null, LearnerConfig.defaults())) {
        UpdateStats stats = learner.update(sampled(agent, temperature, 12));
        assertEquals(1.0, stats.ratioMin(), 1e-4, "temperature " + temperature);
        assertEquals(1.0, stats.ratioMax(), 1e-4, "temperature " + temperature);
        assertEquals(0.0, stats.clipFraction(), "temperature " + temperature);
        assertEquals(0.0, stats.behaviourKl(), 1e-6, "temperature " + temperature);
      }
    }
  }

  /**
   * Issue 19: nothing anchored RL to the warm-started policy (the trainer passed no reference, so a KL
   * coefficient above 0 failed). Against a frozen copy taken after imitation, the KL is 0 before any update and
   * grows as RL moves the policy; the reference is saved with the checkpoint and comes back on resume.
   */
  @Test
  void theKlTermWorksAgainstAFrozenCopyOfTheWarmStartedPolicy_issue19(@TempDir Path dir) {
    LearnerConfig config = LearnerConfig.defaults().withLearningRate(3e-3).withKl(0.05, KlEstimator.K3);
    Random rng = new Random(5);
    List<Demonstration> demos = List.of(
        new Demonstration(LearnFixtures.prompt(rng, 3), LearnFixtures.words(rng, 3)),
        new Demonstration(LearnFixtures.prompt(rng, 4), LearnFixtures.words(rng, 2)));
    try (LanguageModel policy = LearnFixtures.model(22);
        PolicyLearner learner = new PolicyLearner(policy, null, config)) {
      for (int i = 0; i < 5; i++) {
        learner.imitate(demos); // the warm start needs no reference
      }
      try (TrainablePolicy reference = policy.frozenCopy()) {
        learner.setReference(reference);
        List<Double> kl = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          kl.add(learner.update(LearnFixtures.freshBatch(policy, 40 + i, 6)).kl());
        }
        assertEquals(0.0, kl.get(0), 1e-6, "the policy is its own warm-started copy before any update: " + kl);
        assertTrue(kl.get(5) > 1e-4 && kl.get(5) > kl.get(1), "RL moves the policy away from it: " + kl);
        Path checkpoint = dir.resolve("step");
        learner.save(checkpoint);
        try (TrainablePolicy loaded = LearnerCheckpoint.loadReference(checkpoint, policy).orElseThrow()) {
          int[] prompt = LearnFixtures.prompt(rng, 3);
          int[] output = LearnFixtures.words(rng, 2);
          double[] one = {1.0};
          assertEquals(reference.logProbs(List.of(prompt), List.of(output), one)[0][1],
              loaded.logProbs(List.of(prompt), List.of(output), one)[0][1], 1e-6, "the saved reference is the frozen one");
          assertEquals(reference.version(), loaded.version());
        }
      }
    }
  }
}
