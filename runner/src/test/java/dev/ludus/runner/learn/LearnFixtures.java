package dev.ludus.runner.learn;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Tiny models, vocabularies and samples shared by the learner tests. */
final class LearnFixtures {
  private LearnFixtures() {}

  static final List<String> WORDS = List.of(
      "hello", "world", "guess", "a", "number", "higher", "lower", "yes", "no", "done", "left", "right", "tool",
      "result", "is", "the", "answer", "win", "try", "again");

  static final int VOCAB = LmTokenizer.SPECIAL_TOKENS.size() + WORDS.size();

  /** A tiny model: 2 layers, width 32, 4 heads, context 64, over {@link #WORDS}. */
  static LanguageModel model(long seed) {
    return model(seed, VOCAB);
  }

  /** {@link #model(long)} with a value head. */
  static LanguageModel critic(long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64, VOCAB, true), "cpu", seed);
  }

  static LanguageModel model(long seed, int vocab) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64, vocab), "cpu", seed);
  }

  /** Random ids among the words (ids 8 and up). */
  static int[] words(Random rng, int length) {
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = LmTokenizer.SPECIAL_TOKENS.size() + rng.nextInt(WORDS.size());
    }
    return ids;
  }

  /** A prompt that starts like a chat: {@code <bos> <user> words... <assistant>}. */
  static int[] prompt(Random rng, int words) {
    int[] w = words(rng, words);
    int[] ids = new int[w.length + 3];
    ids[0] = 1;
    ids[1] = 5;
    System.arraycopy(w, 0, ids, 2, w.length);
    ids[ids.length - 1] = 6;
    return ids;
  }

  /** A sample whose behaviour log-probs are the model's current ones shifted by {@code logRatioShift}. */
  static Sample sample(LanguageModel model, int[] prompt, int[] output, float[] advantages, float logRatioShift) {
    float[] lp = model.logProbs(prompt, output);
    for (int i = 0; i < lp.length; i++) {
      lp[i] -= logRatioShift;
    }
    return new Sample(prompt, output, lp, advantages, null, model.version());
  }

  /** A batch of fresh samples (behaviour = current policy) with random lengths and advantages. */
  static List<Sample> freshBatch(LanguageModel model, long seed, int size) {
    Random rng = new Random(seed);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int[] prompt = prompt(rng, 2 + rng.nextInt(6));
      int[] output = words(rng, 1 + rng.nextInt(5));
      float[] adv = new float[output.length];
      for (int j = 0; j < adv.length; j++) {
        adv[j] = (float) rng.nextGaussian();
      }
      out.add(sample(model, prompt, output, adv, 0f));
    }
    return out;
  }

  /** Every parameter's values, in the model's order. */
  static float[][] parameters(LanguageModel model) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : model.parameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out.toArray(new float[0][]);
  }

  static float[] ones(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }
}
