package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy (pointer) head ({@code model.copy}): its outputs are a distribution at every position, with the gate shut
 * they are the plain head's, a tiny model with it learns to copy tokens it never saw where one without it cannot,
 * the key/value cache and batched generation stay exact, checkpoints keep it, and configurations name what they
 * refuse.
 */
class CopyHeadTest {
  private static final int VOCAB = 64;

  private static LanguageModel model(boolean copy, LanguageModel.Positions positions, long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64, VOCAB, false, positions, copy), "cpu", seed);
  }

  @Test
  void theOutputsAreNormalizedLogProbabilitiesAtEveryPositionOfAPaddedBatch() {
    try (LanguageModel m = model(true, LanguageModel.Positions.ROTARY, 1)) {
      List<int[]> batch = List.of(new int[] {1, 5, 9, 10, 5, 9, 11, 3, 7}, new int[] {1, 5, 5}, new int[] {4});
      float[][][] out = m.forward(batch);
      for (int s = 0; s < batch.size(); s++) {
        for (int t = 0; t < batch.get(s).length; t++) {
          double sum = 0;
          for (float logp : out[s][t]) {
            sum += Math.exp(logp);
          }
          assertEquals(1.0, sum, 1e-4, "sequence " + s + ", position " + t);
        }
      }
    }
  }

  @Test
  void theLearnersOutputsAtCellsAreThoseOfTheWholePass() {
    try (LanguageModel m = model(true, LanguageModel.Positions.ROTARY, 6);
        NDManager sub = m.manager().newSubManager()) {
      NDArray ids = sub.create(new long[] {1, 5, 9, 10, 5, 9, 1, 5, 5, 0, 0, 0}, new Shape(2, 6));
      NDArray mask = sub.create(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, new Shape(2, 6));
      ParameterStore ps = new ParameterStore(sub, false);
      float[] whole = m.logits(ps, ids, mask, false).reshape(12, VOCAB).get(new NDIndex("{}", sub.create(
          new long[] {4, 1, 7}))).toFloatArray();
      float[] cells = m.logitsAt(ps, ids, mask, sub.create(new long[] {4, 1, 7}), false, false).logits()
          .toFloatArray();
      assertArrayEquals(whole, cells, 1e-5f);
    }
  }

  @Test
  void theCopyPartPutsMassOnTokensReadBeforeAndNoneOnOthers() {
    try (LanguageModel m = model(true, LanguageModel.Positions.LEARNED, 2);
        LanguageModel plain = model(false, LanguageModel.Positions.LEARNED, 2)) {
      int[] seq = {1, 30, 31, 32, 33, 30};
      float[] mixed = m.forward(List.of(seq))[0][5];
      float[] alone = plain.forward(List.of(seq))[0][5];
      double lse = logSumExp(alone);
      // at the first weights the gate is sigmoid(GATE_START): a token read before (31, after the earlier 30) gains,
      // one never read loses log g
      assertTrue(mixed[31] - (alone[31] - lse) > 0.5, "token 31 gained " + (mixed[31] - (alone[31] - lse)));
      assertEquals(-Math.log1p(Math.exp(-CopyHead.GATE_START)), mixed[50] - (alone[50] - lse), 0.03,
          "token 50 was never read");
    }
  }

  @Test
  void withTheGateForcedToTheVocabularyTheOutputsAreThePlainHeadsLogSoftmax() {
    try (LanguageModel m = model(true, LanguageModel.Positions.ROTARY, 3);
        LanguageModel plain = model(false, LanguageModel.Positions.ROTARY, 3)) {
      String bias = m.parameters().keys().stream().filter(k -> k.contains("copy") && k.endsWith("gate_bias"))
          .findFirst().orElseThrow();
      m.update(() -> m.parameters().get(bias).getArray().addi(1e4f));
      List<int[]> batch = List.of(new int[] {1, 5, 9, 10, 5, 9, 11}, new int[] {2, 5, 5});
      float[][][] mixed = m.forward(batch);
      float[][][] alone = plain.forward(batch);
      for (int s = 0; s < batch.size(); s++) {
        for (int t = 0; t < batch.get(s).length; t++) {
          double lse = logSumExp(alone[s][t]);
          for (int v = 0; v < VOCAB; v++) {
            assertEquals(alone[s][t][v] - lse, mixed[s][t][v], 1e-4, "sequence " + s + ", position " + t);
          }
        }
      }
    }
  }

  @Test
  void aTinyModelWithTheHeadLearnsToCopyTokensNeverSeenAsTargetsAndOneWithoutCannot() {
    double with = copyAccuracy(true);
    double without = copyAccuracy(false);
    assertTrue(with >= 0.5, "with the copy head: " + with); // 0.69 at 50 steps, the model without it 0.00

    assertTrue(without <= 0.1, "without: " + without);
  }

  /**
   * Trains on {@code BOS x1 x2 x3 x4 ; x1 x2 x3 x4} over tokens 4 to 63, the loss on the second x2, x3, x4 where they
   * are below 40; then the greedy accuracy of those three on sequences of tokens 40 to 63 only, never a target.
   */
  private static double copyAccuracy(boolean copy) {
    try (LanguageModel m = model(copy, LanguageModel.Positions.ROTARY, 7);
        NDManager sub = m.manager().newSubManager()) {
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
      SplittableRandom rng = new SplittableRandom(11);
      for (int step = 0; step < 50; step++) {
        try (NDManager s = sub.newSubManager();
            GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray ids = s.create(copyTask(rng, 32, 4, 60), new Shape(32, 10));
          NDArray logp = m.tokenLogProbs(new ParameterStore(s, false), ids, s.ones(new Shape(32, 10)), true);
          NDArray seen = ids.get(new NDIndex(":, 7:10")).lt(40).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          gc.backward(logp.get(new NDIndex(":, 6:9")).mul(seen).sum().div(seen.sum()).neg());
        }
        m.update(() -> {
          for (Pair<String, Parameter> p : m.parameters()) {
            NDArray w = p.getValue().getArray();
            try (NDArray g = w.getGradient()) {
              adam.update(p.getValue().getId(), w, g);
            }
          }
        });
      }
      long[] test = copyTask(new SplittableRandom(12), 64, 40, 24);
      List<int[]> sequences = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int[] seq = new int[10];
        for (int t = 0; t < 10; t++) {
          seq[t] = (int) test[i * 10 + t];
        }
        sequences.add(seq);
      }
      float[][][] out = m.forward(sequences);
      int right = 0;
      for (int i = 0; i < 64; i++) {
        for (int t = 6; t < 9; t++) {
          right += argmax(out[i][t]) == sequences.get(i)[t + 1] ? 1 : 0;
        }
      }
      return right / (64.0 * 3);
    }
  }

  /** {@code rows} sequences {@code 1 x1 x2 x3 x4 2 x1 x2 x3 x4} of distinct tokens from {@code [from, from + n)}. */
  private static long[] copyTask(SplittableRandom rng, int rows, int from, int n) {
    long[] ids = new long[rows * 10];
    for (int r = 0; r < rows; r++) {
      long[] xs = rng.ints(from, from + n).distinct().limit(4).asLongStream().toArray();
      ids[r * 10] = 1;
      ids[r * 10 + 5] = 2;
      for (int i = 0; i < 4; i++) {
        ids[r * 10 + 1 + i] = xs[i];
        ids[r * 10 + 6 + i] = xs[i];
      }
    }
    return ids;
  }

  @Test
  void batchedGenerationRecordsTheLogProbsOfTheUncachedForwardPass() {
    try (LanguageModel m = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64,
        DjlLmFixtures.tokenizer().vocabSize(), false, LanguageModel.Positions.ROTARY, true), "cpu", 4)) {
      // three prompts sharing an 8-token prefix (computed once) and two of other lengths (left padding)
      List<int[]> prompts = List.of(
          new int[] {1, 5, 9, 10, 11, 3, 7, 8, 12, 5, 9},
          new int[] {1, 5, 9, 10, 11, 3, 7, 8, 20},
          new int[] {1, 5, 9, 10, 11, 3, 7, 8, 12, 13, 14, 5, 9, 10});
      Generator g = new Generator(m, DjlLmFixtures.tokenizer());
      List<Generator.Request> requests = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        requests.add(new Generator.Request(prompts.get(i), new Sampling(0.9, 0, 1), 100 + i, 6, List.of()));
      }
      List<Generator.Result> results = g.generate(requests);
      List<int[]> outputs = results.stream().map(Generator.Result::outputIds).toList();
      float[][] expected = BatchScoring.logProbs(m, prompts, outputs, new double[] {0.9, 0.9, 0.9},
          Generator.excludedIds(DjlLmFixtures.tokenizer())); // as the generator, which never emits a special token
      for (int i = 0; i < prompts.size(); i++) {
        assertArrayEquals(expected[i], results.get(i).logProbs(), 1e-4f, "prompt " + i);
      }
      assertTrue(g.sharedPrefixTokens() > 0, "the prefix was shared");
    }
  }

  @Test
  void turnsWithTheKeyValueCacheGiveTheTokensAndLogProbsOfTurnsWithout() {
    DjlLmAgentProvider.Config c = DjlLmFixtures.config().withMaxNewTokens(4).withSampling(0.9, 0, 1.0)
        .withPositions("rotary").withCopy(true);
    try (LanguageModel m = LanguageModel.create(c.spec(DjlLmFixtures.tokenizer().vocabSize()), "cpu", 11)) {
      DjlLmFixtures.assertCachedTurnsMatchUncached(m, c);
    }
  }

  @Test
  void aCheckpointKeepsTheCopyHeadAndOneSavedWithoutItLoadsWithout(@TempDir Path dir) throws Exception {
    int[] seq = {1, 5, 9, 10, 5};
    try (LanguageModel m = model(true, LanguageModel.Positions.ROTARY, 5)) {
      m.save(dir.resolve("copy"));
      assertTrue(Files.readString(dir.resolve("copy").resolve(LmCheckpoint.SPEC_FILE)).contains("\"copy\" : true"));
      try (LanguageModel loaded = LanguageModel.load(dir.resolve("copy"), "cpu")) {
        assertTrue(loaded.spec().copy());
        assertArrayEquals(m.forward(List.of(seq))[0][4], loaded.forward(List.of(seq))[0][4], 0f);
      }
    }
    try (LanguageModel m = model(false, LanguageModel.Positions.ROTARY, 5)) {
      m.save(dir.resolve("plain"));
      assertFalse(Files.readString(dir.resolve("plain").resolve(LmCheckpoint.SPEC_FILE)).contains("copy"));
      try (LanguageModel loaded = LanguageModel.load(dir.resolve("plain"), "cpu")) {
        assertFalse(loaded.spec().copy());
      }
    }
    Path header = dir.resolve("copy").resolve(LmCheckpoint.SPEC_FILE);
    Files.writeString(header, Files.readString(header).replace("\"copy\" : true", "\"copy\" : \"yes\""));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> LanguageModel.load(dir.resolve("copy"), "cpu"));
    assertTrue(bad.getMessage().contains("copy must be true or false, was \"yes\""), bad.getMessage());
  }

  @Test
  void aConfigurationTakesCopyAsABooleanAndLeavesItOffByDefault() throws Exception {
    DjlLmAgentProvider provider = new DjlLmAgentProvider();
    ObjectMapper json = new ObjectMapper();
    assertFalse(provider.defaultConfig().copy());
    assertFalse(provider.defaultConfig().spec(40).copy());
    assertTrue(ConfigBinder.bind(provider, json.readTree("{\"copy\": true}")).spec(40).copy());
    ConfigException bad = assertThrows(ConfigException.class,
        () -> ConfigBinder.bind(provider, json.readTree("{\"copy\": \"maybe\"}")));
    assertEquals("config for 'djl-lm': field 'copy' cannot be 'maybe'; it takes true or false",
        bad.getMessage());
  }

  private static double logSumExp(float[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : row) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (float x : row) {
      sum += Math.exp(x - max);
    }
    return max + Math.log(sum);
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }
}
