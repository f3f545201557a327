package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A two-armed bandit as a one-token reply: the policy reads {@code <bos> <user> pick <assistant>} and answers
 * with one token sampled from its whole distribution; "left" pays 1, anything else 0. Advantages are reward
 * minus the batch mean. The learner must make "left" near certain in a few hundred updates.
 */
class BanditTest {
  private static final int BATCH = 32;
  private static final int MAX_UPDATES = 150;

  @Test
  void aPolicyLearnsToPullTheRewardedArm() {
    LmTokenizer tokenizer = LmTokenizer.wordLevel(List.of("pick", "left", "right"));
    int pick = tokenizer.encode("pick")[0];
    int left = tokenizer.encode("left")[0];
    int[] prompt = {tokenizer.bosId(), 5, pick, 6};
    Random rng = new Random(2024);
    LanguageModel.Spec spec = new LanguageModel.Spec(2, 32, 4, 16, tokenizer.vocabSize());
    try (LanguageModel model = LanguageModel.create(spec, "cpu", 9);
        PolicyLearner learner = new PolicyLearner(model, null, LearnerConfig.defaults().withLearningRate(1e-2))) {
      double initial = Math.exp(model.logProbs(prompt, new int[] {left})[0]);
      assertTrue(initial < 0.3, "the untrained policy should not already prefer the arm: " + initial);
      double p = initial;
      long start = System.nanoTime();
      int updates = 0;
      while (p <= 0.9 && updates < MAX_UPDATES) {
        float[] logits = model.forward(List.of(prompt))[0][prompt.length - 1];
        double[] probs = softmax(logits);
        List<int[]> actions = new ArrayList<>();
        double[] rewards = new double[BATCH];
        double mean = 0;
        for (int i = 0; i < BATCH; i++) {
          int a = draw(probs, rng);
          actions.add(new int[] {a});
          rewards[i] = a == left ? 1 : 0;
          mean += rewards[i] / BATCH;
        }
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          int a = actions.get(i)[0];
          batch.add(new Sample(prompt, actions.get(i), new float[] {(float) Math.log(probs[a])},
              new float[] {(float) (rewards[i] - mean)}, null, model.version()));
        }
        learner.update(batch);
        updates++;
        p = Math.exp(model.logProbs(prompt, new int[] {left})[0]);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("bandit: P(left) %.3f -> %.3f after %d updates of %d samples in %.2f s%n", initial, p, updates,
          BATCH, seconds);
      assertTrue(p > 0.9, "P(left) only reached " + p + " after " + updates + " updates");
    }
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static int draw(double[] probs, Random rng) {
    double u = rng.nextDouble();
    double acc = 0;
    for (int i = 0; i < probs.length; i++) {
      acc += probs[i];
      if (u < acc) {
        return i;
      }
    }
    return probs.length - 1;
  }
}
