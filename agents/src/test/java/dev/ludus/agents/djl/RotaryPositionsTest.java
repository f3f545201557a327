package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotary positions in the built-in transformer: attention sees distances only (shifting every position id leaves the
 * logits unchanged, which learned positions do not) and still tells order apart, the key/value cache stays exact, checkpoints keep the choice,
 * and a configuration names what it refuses.
 */
class RotaryPositionsTest {
  private static final int[] SEQ = {1, 5, 9, 10, 11, 3, 7};

  private static LanguageModel model(LanguageModel.Positions positions, long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 128, DjlLmFixtures.tokenizer().vocabSize(), false,
        positions), "cpu", seed);
  }

  /** The logits (T, V) of {@link #SEQ} with its position ids starting at {@code offset} (one row, no padding). */
  private static float[] logitsFrom(LanguageModel m, int offset) {
    int t = SEQ.length;
    try (NDManager sub = m.manager().newSubManager()) {
      long[] ids = new long[t];
      long[] positions = new long[t];
      float[] mask = new float[t * t];
      long[] cells = new long[t];
      for (int i = 0; i < t; i++) {
        ids[i] = SEQ[i];
        positions[i] = offset + i;
        cells[i] = i;
        for (int j = 0; j < t; j++) {
          mask[i * t + j] = j <= i ? 0f : LanguageModel.MASKED;
        }
      }
      NDList inputs = new NDList(sub.create(ids, new Shape(1, t)), sub.create(positions, new Shape(1, t)),
          sub.create(mask, new Shape(1, 1, t, t)));
      float[][] out = new float[1][];
      DjlRuntime.runWithoutGrad(() -> {
        NDArray logits = m.logitsAt(new ParameterStore(sub, false), inputs, sub.create(cells));
        out[0] = logits.toFloatArray();
      });
      return out[0];
    }
  }

  private static float largestDifference(float[] a, float[] b) {
    float largest = 0;
    for (int i = 0; i < a.length; i++) {
      largest = Math.max(largest, Math.abs(a[i] - b[i]));
    }
    return largest;
  }

  @Test
  void rotaryLogitsDependOnDistancesSoShiftingEveryPositionChangesNothing() {
    try (LanguageModel rotary = model(LanguageModel.Positions.ROTARY, 5)) {
      float[] at0 = logitsFrom(rotary, 0);
      assertArrayEquals(at0, logitsFrom(rotary, 17), 1e-4f, "positions 17.. against 0..");
      assertArrayEquals(at0, logitsFrom(rotary, 60), 1e-4f, "positions 60.. against 0..");
    }
  }

  @Test
  void rotaryPositionsStillTellOrderApartSoSwappingTwoEarlierTokensChangesTheLastLogits() {
    // one layer: without any position signal its last position reads the prefix as a set (two or more layers
    // recover some order from causality alone)
    try (LanguageModel rotary = LanguageModel.create(new LanguageModel.Spec(1, 32, 4, 128,
        DjlLmFixtures.tokenizer().vocabSize(), false, LanguageModel.Positions.ROTARY), "cpu", 5)) {
      float largest = largestDifference(rotary.forward(List.of(new int[] {1, 5, 9, 10, 11}))[0][4],
          rotary.forward(List.of(new int[] {1, 9, 5, 10, 11}))[0][4]);
      // at initialization the effect is small (1.5e-4 here) but far above float rounding (3e-8 with no rotation)
      assertTrue(largest > 1e-5f, "the order of 5 and 9 must matter; largest change " + largest);
    }
  }

  @Test
  void learnedPositionsDependOnPlaceSoTheSameShiftChangesTheLogits() {
    try (LanguageModel learned = model(LanguageModel.Positions.LEARNED, 5)) {
      float largest = largestDifference(logitsFrom(learned, 0), logitsFrom(learned, 17));
      assertTrue(largest > 1e-3f, "learned positions must see the shift; largest change " + largest);
    }
  }

  @Test
  void rotaryModelsHaveNoPositionEmbeddingAndStillLeaveEarlierLogitsAlone() {
    try (LanguageModel rotary = model(LanguageModel.Positions.ROTARY, 2);
        LanguageModel learned = model(LanguageModel.Positions.LEARNED, 2)) {
      assertFalse(rotary.parameters().keys().stream().anyMatch(k -> k.contains("positionEmbedding")));
      assertTrue(learned.parameters().keys().stream().anyMatch(k -> k.contains("positionEmbedding")));
      float[][] a = rotary.forward(List.of(new int[] {1, 5, 9, 10, 11})).clone()[0];
      float[][] b = rotary.forward(List.of(new int[] {1, 5, 9, 10, 20}))[0];
      for (int t = 0; t < 4; t++) {
        assertArrayEquals(a[t], b[t], 1e-6f, "position " + t + " saw a later token");
      }
      float[][] alone = rotary.forward(List.of(new int[] {1, 5, 9}))[0];
      float[][] padded = rotary.forward(List.of(new int[] {1, 5, 9, 10, 11, 12, 13}, new int[] {1, 5, 9}))[1];
      for (int t = 0; t < 3; t++) {
        assertArrayEquals(alone[t], padded[t], 1e-5f, "left padding moved position " + t);
      }
    }
  }

  @Test
  void aCheckpointKeepsRotaryPositionsAndItsLogits(@TempDir Path dir) throws Exception {
    try (LanguageModel rotary = model(LanguageModel.Positions.ROTARY, 3)) {
      rotary.save(dir);
      assertTrue(Files.readString(dir.resolve(LmCheckpoint.SPEC_FILE)).contains("\"positions\" : \"rotary\""));
      try (LanguageModel loaded = LanguageModel.load(dir, "cpu")) {
        assertEquals(LanguageModel.Positions.ROTARY, loaded.spec().positions());
        assertArrayEquals(logitsFrom(rotary, 0), logitsFrom(loaded, 0), 0f);
      }
    }
  }

  @Test
  void turnsWithTheKeyValueCacheGiveTheTokensAndLogProbsOfTurnsWithout() {
    DjlLmAgentProvider.Config c = DjlLmFixtures.config().withMaxNewTokens(4).withSampling(0.9, 0, 1.0)
        .withPositions("rotary");
    try (LanguageModel rotary = model(LanguageModel.Positions.ROTARY, 11)) {
      DjlLmFixtures.assertCachedTurnsMatchUncached(rotary, c);
    }
  }

  @Test
  void aConfigurationRefusesUnknownPositionsAndAnOddHeadWidthNamingWhatIsAllowed() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> DjlLmFixtures.config().withPositions("alibi"));
    assertEquals("positions must be one of learned, rotary, was 'alibi'", unknown.getMessage());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> DjlLmFixtures.config().withArchitecture(2, 36, 4, 64).withPositions("rotary"));
    assertEquals("positions: rotary needs an even head width (width / heads), was 9 (width 36, heads 4)",
        odd.getMessage());
    assertEquals("learned", DjlLmFixtures.config().positions());
    assertEquals(LanguageModel.Positions.ROTARY, DjlLmFixtures.config().withPositions("Rotary").spec(40).positions());
  }
}
