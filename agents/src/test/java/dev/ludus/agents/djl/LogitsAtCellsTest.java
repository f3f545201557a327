package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainablePolicy#logitsAt}: the vocabulary head at a few cells only gives the logits of {@link
 * TrainablePolicy#logits} at those cells, the same values, and the same gradients of a loss on them, within 1e-5;
 * for a model, a value-head model and a policy restricted as its sampler is (HfLogitsAtCellsTest: the HF decoder).
 */
public class LogitsAtCellsTest {
  private static final long[] IDS = {0, 0, 1, 5, 9, 10, 11, 6, 1, 5, 7, 8, 9, 10, 12, 2};
  private static final float[] MASK = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  private static final long[] CELLS = {13, 3, 6, 14, 9};

  @Test
  void logitsAtCellsEqualTheFullLogitsThereWithTheSameGradients() {
    try (LanguageModel m = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 16, 40), "cpu", 5)) {
      assertSameAsFull(m, false);
    }
  }

  @Test
  void withAValueHeadTheValuesAreThoseOfTheFullPass() {
    try (LanguageModel m = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 16, 40, true), "cpu", 6)) {
      assertSameAsFull(m, true);
    }
  }

  @Test
  void aRestrictedPolicyExcludesItsIdsAtTheCellsToo() {
    try (LanguageModel m = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 16, 40), "cpu", 7);
        RestrictedPolicy p = new RestrictedPolicy(m, new int[] {0, 1, 3}, false)) {
      assertSameAsFull(p, false);
    }
  }

  @Test
  void valuesOfAModelWithoutAValueHeadAreRefused() {
    try (LanguageModel m = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 16, 40), "cpu", 8);
        NDManager sub = m.manager().newSubManager()) {
      assertThrows(IllegalStateException.class, () -> m.logitsAt(new ParameterStore(sub, false),
          sub.create(IDS, new Shape(2, 8)), sub.create(MASK, new Shape(2, 8)), sub.create(CELLS), true, false));
    }
  }

  /**
   * Asserts the values, and the gradients of the parameters that require one, of a random linear loss on the
   * log-softmax of the logits (and the values) at fixed cells of a left-padded batch of two rows of 8 tokens.
   */
  public static void assertSameAsFull(TrainablePolicy p, boolean withValues) {
    float[][] full = new float[3][];
    float[][] gathered = new float[3][];
    List<float[]> fullGradients = new ArrayList<>();
    List<float[]> gatheredGradients = new ArrayList<>();
    for (int arm = 0; arm < 2; arm++) {
      try (NDManager sub = p.manager().newSubManager();
          GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        ParameterStore ps = new ParameterStore(sub, false);
        NDArray ids = sub.create(IDS, new Shape(2, 8));
        NDArray mask = sub.create(MASK, new Shape(2, 8));
        NDArray cells = sub.create(CELLS);
        NDArray logits;
        NDArray values = null;
        if (arm == 0) {
          NDArray all;
          if (withValues) {
            LanguageModel.Heads heads = p.logitsAndValues(ps, ids, mask, true);
            all = heads.logits();
            values = heads.values();
          } else {
            all = p.logits(ps, ids, mask, true);
          }
          long v = all.getShape().get(2);
          logits = all.reshape(-1, v).get(cells);
        } else {
          LanguageModel.Heads heads = p.logitsAt(ps, ids, mask, cells, withValues, true);
          assertEquals(new Shape(1, CELLS.length, p.spec().vocabSize()), heads.logits().getShape());
          logits = heads.logits().reshape(CELLS.length, -1);
          values = heads.values();
          assertEquals(withValues, values != null);
        }
        Random rng = new Random(3);
        float[] w = new float[(int) logits.size()];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) rng.nextGaussian();
        }
        // the log-softmax, as the learner takes it (excluded ids at -1e9 drop out of it)
        NDArray loss = logits.logSoftmax(-1).mul(sub.create(w, logits.getShape())).sum();
        if (values != null) {
          loss = loss.add(values.square().sum());
        }
        gc.backward(loss);
        (arm == 0 ? full : gathered)[0] = logits.logSoftmax(-1).toFloatArray();
        (arm == 0 ? full : gathered)[1] = values == null ? new float[0] : values.toFloatArray();
        for (var parameter : p.parameters()) {
          if (!parameter.getValue().requiresGradient()) {
            continue;
          }
          try (NDArray g = parameter.getValue().getArray().getGradient()) {
            (arm == 0 ? fullGradients : gatheredGradients).add(g.toFloatArray());
          }
        }
      }
    }
    assertClose(full[0], gathered[0], "log-probabilities at the cells");
    assertClose(full[1], gathered[1], "values");
    assertEquals(fullGradients.size(), gatheredGradients.size());
    for (int i = 0; i < fullGradients.size(); i++) { // gradients accumulate: the second pass's is the difference
      float[] g = gatheredGradients.get(i);
      for (int j = 0; j < g.length; j++) {
        g[j] -= fullGradients.get(i)[j];
      }
    }
    double largest = 0;
    for (int i = 0; i < fullGradients.size(); i++) {
      assertClose(fullGradients.get(i), gatheredGradients.get(i), "gradient of parameter " + i);
      for (float g : fullGradients.get(i)) {
        largest = Math.max(largest, Math.abs(g));
      }
    }
    assertTrue(largest > 1e-3, "the gradient must not vanish");
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] < -1e8) { // an excluded id: about -1e9 in both
        assertTrue(actual[i] < -1e8, what + " entry " + i + " is excluded");
        continue;
      }
      assertEquals(expected[i], actual[i], 1e-5, what + " entry " + i);
    }
  }
}
