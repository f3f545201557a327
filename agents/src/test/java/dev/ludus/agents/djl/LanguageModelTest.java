package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageModelTest {
  private static LanguageModel model;
  private static int vocab;

  @BeforeAll
  static void build() {
    model = DjlLmFixtures.model(7);
    vocab = model.spec().vocabSize();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void forwardGivesOneRowOfVocabularyLogitsPerPosition() {
    try (NDManager m = model.manager().newSubManager()) {
      NDArray ids = m.create(new long[] {1, 5, 9, 10, 0, 1, 12, 13}, new Shape(2, 4));
      NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 1, 1, 1}, new Shape(2, 4));
      ParameterStore ps = new ParameterStore(m, false);
      DjlRuntime.runWithoutGrad(() -> {
        assertEquals(new Shape(2, 4, vocab), model.logits(ps, ids, mask, false).getShape());
        assertEquals(new Shape(2, 3), model.tokenLogProbs(ps, ids, mask, false).getShape());
      });
    }
    float[][][] out = model.forward(List.of(new int[] {1, 5, 9}, new int[] {1}));
    assertEquals(3, out[0].length);
    assertEquals(1, out[1].length);
    assertEquals(vocab, out[0][2].length);
  }

  @Test
  void changingALaterTokenLeavesEarlierLogitsUnchanged() {
    float[][] a = model.forward(List.of(new int[] {1, 5, 9, 10, 11})).clone()[0];
    float[][] b = model.forward(List.of(new int[] {1, 5, 9, 10, 20}))[0];
    for (int t = 0; t < 4; t++) {
      assertArrayEquals(a[t], b[t], 1e-6f, "position " + t + " saw a later token");
    }
    assertFalse(Arrays.equals(a[4], b[4]), "the changed position itself must change");
  }

  @Test
  void leftPaddingInABatchDoesNotChangeASequencesLogits() {
    int[] shortSeq = {1, 5, 9};
    int[] longSeq = {1, 5, 9, 10, 11, 12, 13};
    float[][] alone = model.forward(List.of(shortSeq))[0];
    float[][] batched = model.forward(List.of(longSeq, shortSeq))[1];
    for (int t = 0; t < shortSeq.length; t++) {
      assertArrayEquals(alone[t], batched[t], 1e-5f, "position " + t);
    }
  }

  @Test
  void tokenLogProbsAreTheLogSoftmaxOfTheNextTokensLogit() {
    int[] prompt = {1, 5, 9};
    int[] output = {10, 11, 2};
    float[] lp = model.logProbs(prompt, output);
    float[][] logits = model.forward(List.of(new int[] {1, 5, 9, 10, 11, 2}))[0];
    for (int j = 0; j < output.length; j++) {
      float[] row = logits[prompt.length - 1 + j];
      double lse = Sampler.logSumExp(row, 0, row.length, 1.0);
      assertEquals(row[output[j]] - lse, lp[j], 1e-4, "token " + j);
    }
  }

  @Test
  void sameSeedGivesSameWeightsAndAnotherSeedDifferentOnes() {
    int[] seq = {1, 5, 9};
    try (LanguageModel same = DjlLmFixtures.model(7); LanguageModel other = DjlLmFixtures.model(8)) {
      assertArrayEquals(model.forward(List.of(seq))[0][2], same.forward(List.of(seq))[0][2]);
      assertFalse(Arrays.equals(model.forward(List.of(seq))[0][2], other.forward(List.of(seq))[0][2]));
    }
  }

  @Test
  void aLoadedModelCanBeSavedAgainAndKeepsItsWeights(@TempDir Path dir) {
    try (LanguageModel original = DjlLmFixtures.model(3)) {
      original.save(dir.resolve("a"));
      int[] seq = {1, 5, 9, 10};
      float[][] expected = original.forward(List.of(seq))[0];
      try (LanguageModel loaded = LanguageModel.load(dir.resolve("a"), "cpu")) {
        loaded.save(dir.resolve("b"));
        try (LanguageModel again = LanguageModel.load(dir.resolve("b"), "cpu")) {
          float[][] actual = again.forward(List.of(seq))[0];
          for (int t = 0; t < seq.length; t++) {
            assertArrayEquals(expected[t], actual[t], "position " + t);
          }
        }
      }
    }
  }

  @Test
  void checkpointRoundTripGivesIdenticalLogitsAndVersion(@TempDir Path dir) {
    try (LanguageModel trained = DjlLmFixtures.model(3)) {
      String head = trained.parameters().keys().stream().filter(k -> k.endsWith("head_weight")).findFirst().orElseThrow();
      trained.update(() -> trained.parameters().get(head).getArray().muli(1.5f));
      trained.update(() -> { });
      trained.save(dir);
      assertTrue(Files.exists(dir.resolve(LmCheckpoint.SPEC_FILE)));
      try (LanguageModel loaded = LanguageModel.load(dir, "cpu")) {
        assertEquals(trained.spec(), loaded.spec());
        assertEquals(2, loaded.version());
        int[] seq = {1, 5, 9, 10};
        float[][] expected = trained.forward(List.of(seq))[0];
        float[][] actual = loaded.forward(List.of(seq))[0];
        for (int t = 0; t < seq.length; t++) {
          assertArrayEquals(expected[t], actual[t], "position " + t);
        }
      }
    }
  }

  private static void assertGradientsReachEveryParameter(LanguageModel m) {
    try (NDManager sub = m.manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray ids = sub.create(new long[] {0, 1, 5, 9, 1, 6, 7, 8}, new Shape(2, 4));
      NDArray mask = sub.create(new float[] {0, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 4));
      NDArray loss = m.tokenLogProbs(new ParameterStore(sub, false), ids, mask, true).mean().neg();
      gc.backward(loss);
      for (var p : m.parameters()) {
        NDArray grad = p.getValue().getArray().getGradient();
        assertTrue(grad.abs().sum().getFloat() > 0, "no gradient reached " + p.getKey());
        grad.close();
      }
    }
  }

  @Test
  void gradientsFlowToEveryParameterThroughTeacherForcedLogProbs(@TempDir Path dir) {
    try (LanguageModel m = DjlLmFixtures.model(4)) {
      assertGradientsReachEveryParameter(m);
      m.save(dir);
    }
    try (LanguageModel loaded = LanguageModel.load(dir, "cpu")) {
      assertGradientsReachEveryParameter(loaded);
    }
  }

  @Test
  void updateBumpsThePolicyVersion() {
    try (LanguageModel m = DjlLmFixtures.model(1)) {
      assertEquals(0, m.version());
      assertEquals(1, m.update(() -> { }));
      assertEquals(1, m.version());
    }
  }

  @Test
  void generationLeavesNoArraysBehindOnTheModelsManager() {
    try (LanguageModel m = DjlLmFixtures.model(1)) {
      BaseNDManager manager = (BaseNDManager) m.manager();
      int before = manager.getManagedArrays().size();
      Generator g = new Generator(m, DjlLmFixtures.tokenizer());
      g.generate(List.of(
          new Generator.Request(new int[] {1, 5, 9}, new Sampling(1, 0, 1), 1, 6, List.of()),
          new Generator.Request(new int[] {1, 5}, new Sampling(1, 0, 1), 2, 6, List.of())));
      m.forward(List.of(new int[] {1, 2, 3}));
      m.logProbs(new int[] {1}, new int[] {2});
      assertEquals(before, manager.getManagedArrays().size());
    }
  }

  @Test
  void aClosedModelRefusesWork() {
    LanguageModel m = DjlLmFixtures.model(1);
    m.close();
    m.close();
    assertThrows(IllegalStateException.class, () -> m.forward(List.of(new int[] {1})));
  }

  // ---- the value head ----

  private static LanguageModel critic(long seed) {
    return LanguageModel.create(model.spec().withValueHead(true), "cpu", seed);
  }

  @Test
  void valueHeadGivesOneValuePerPositionAndStateValuesReadThePromptsLastToken() {
    try (LanguageModel c = critic(7); NDManager m = c.manager().newSubManager()) {
      NDArray ids = m.create(new long[] {1, 5, 9, 10, 1, 12, 13, 0}, new Shape(2, 4));
      NDArray mask = m.create(new float[] {1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
      ParameterStore ps = new ParameterStore(m, false);
      float[] perPosition = DjlRuntime.withoutGrad(() -> {
        NDArray values = c.values(ps, ids, mask, false);
        assertEquals(new Shape(2, 4), values.getShape());
        LanguageModel.Heads both = c.logitsAndValues(ps, ids, mask, false);
        assertEquals(new Shape(2, 4, vocab), both.logits().getShape());
        assertArrayEquals(values.toFloatArray(), both.values().toFloatArray(), 1e-6f, "one trunk, two heads");
        assertArrayEquals(c.logits(ps, ids, mask, false).toFloatArray(), both.logits().toFloatArray(), 1e-6f);
        return values.toFloatArray();
      });
      // prompts of different lengths in one left-padded batch: each gets the value at its own last token
      float[] state = c.stateValues(List.of(new int[] {1, 5, 9, 10}, new int[] {1, 12, 13}, new int[] {1, 5}));
      assertEquals(3, state.length);
      assertEquals(perPosition[3], state[0], 1e-5f);
      assertEquals(perPosition[6], state[1], 1e-5f);
      assertEquals(perPosition[1], state[2], 1e-5f);
      assertFalse(perPosition[1] == perPosition[3], "values must depend on the state");
    }
  }

  @Test
  void theValueHeadIsAddedLastSoTheSameSeedGivesTheSamePolicy() {
    int[] seq = {1, 5, 9, 10};
    try (LanguageModel c = critic(7)) {
      assertTrue(c.hasValueHead());
      assertFalse(model.hasValueHead());
      assertEquals(model.parameters().size() + 2, c.parameters().size(), "a weight (1 x width) and a bias");
      assertArrayEquals(model.forward(List.of(seq))[0][3], c.forward(List.of(seq))[0][3]);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.stateValues(List.of(seq)));
    assertTrue(e.getMessage().contains("no value head"), e.getMessage());
  }

  @Test
  void aValueHeadIsSavedAndLoadedWithIdenticalValues(@TempDir Path dir) throws Exception {
    List<int[]> prompts = List.of(new int[] {1, 5, 9}, new int[] {1, 6, 7, 8, 9});
    try (LanguageModel c = critic(5)) {
      String head = c.parameters().keys().stream().filter(k -> k.contains("valueHead")).findFirst().orElseThrow();
      c.update(() -> c.parameters().get(head).getArray().muli(3f));
      float[] expected = c.stateValues(prompts);
      c.save(dir.resolve("a"));
      assertTrue(Files.readString(dir.resolve("a").resolve(LmCheckpoint.SPEC_FILE)).contains("\"valueHead\" : true"));
      try (LanguageModel loaded = LanguageModel.load(dir.resolve("a"), "cpu")) {
        assertEquals(c.spec(), loaded.spec());
        assertEquals(1, loaded.version());
        assertArrayEquals(expected, loaded.stateValues(prompts));
        loaded.save(dir.resolve("b"));
      }
      try (LanguageModel again = LanguageModel.load(dir.resolve("b"), "cpu")) {
        assertArrayEquals(expected, again.stateValues(prompts));
      }
    }
  }

  @Test
  void aCheckpointFromBeforeValueHeadsLoadsWithoutOne(@TempDir Path dir) throws Exception {
    try (LanguageModel plain = DjlLmFixtures.model(2)) {
      plain.save(dir);
    }
    Path meta = dir.resolve(LmCheckpoint.SPEC_FILE);
    String json = Files.readString(meta);
    assertTrue(json.contains("\"valueHead\" : false"), json);
    Files.writeString(meta, json.replace("\"valueHead\" : false,", "").replace(",\n  \"valueHead\" : false", ""));
    assertFalse(Files.readString(meta).contains("valueHead"), Files.readString(meta));
    try (LanguageModel loaded = LanguageModel.load(dir, "cpu")) {
      assertFalse(loaded.hasValueHead());
    }
  }

  @Test
  void aFreshValueHeadOnAPolicyKeepsItsWeightsAndVersion() {
    int[] seq = {1, 5, 9, 10};
    try (LanguageModel plain = DjlLmFixtures.model(9)) {
      plain.update(() -> { });
      try (LanguageModel withHead = plain.withFreshValueHead(4)) {
        assertTrue(withHead.hasValueHead());
        assertEquals(1, withHead.version());
        assertArrayEquals(plain.forward(List.of(seq))[0][3], withHead.forward(List.of(seq))[0][3]);
        assertTrue(Float.isFinite(withHead.stateValues(List.of(seq))[0]));
        assertThrows(IllegalStateException.class, () -> withHead.withFreshValueHead(4));
      }
    }
  }

  @Test
  void gradientsOfTheValuesReachTheValueHeadAndTheSharedTrunk() {
    try (LanguageModel c = critic(4);
        NDManager sub = c.manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray ids = sub.create(new long[] {1, 5, 9, 10}, new Shape(1, 4));
      NDArray mask = sub.ones(new Shape(1, 4));
      gc.backward(c.values(new ParameterStore(sub, false), ids, mask, true).sum());
      for (var p : c.parameters()) {
        if (p.getKey().endsWith("head_weight")) {
          continue; // the vocabulary head is not on the value's path
        }
        NDArray grad = p.getValue().getArray().getGradient();
        assertTrue(grad.abs().sum().getFloat() > 0, "no gradient reached " + p.getKey());
        grad.close();
      }
    }
  }

  @Test
  void specRejectsAWidthThatHeadsDoNotDivide() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LanguageModel.Spec(2, 30, 4, 64, 100));
    assertEquals("width (30) must be a multiple of heads (4)", e.getMessage());
  }
}
