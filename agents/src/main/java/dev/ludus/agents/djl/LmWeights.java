package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import dev.ludus.api.Seeds;
import java.util.Arrays;
import java.util.Random;

/** Where a model's weights come from when they are not loaded: the built-in first draw and copies. Stateless. */
final class LmWeights {
  private LmWeights() {}

  /**
   * Initializes {@code block} on {@code manager} with the input description every {@link CausalLmBlock} takes (ids,
   * positions, additive mask), allocating the parameters that are not yet; parameters already there (loaded ones)
   * are left as they are.
   */
  static void describeInputs(CausalLmBlock block, NDManager manager) {
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1, 1, 1));
  }

  /**
   * The built-in transformer's first weights from {@code seed} (GPT-2 style: normal with standard deviation 0.02,
   * the residual projections scaled by {@code 1/sqrt(2 layers)}, zero biases but the copy head's gate
   * ({@link CopyHead#GATE_START}), unit LayerNorm gains), so the same
   * seed gives the same weights on every machine. Run with autograd off.
   */
  static void drawGpt2(CausalLmBlock block, int layers, long seed) {
    double residualStd = 0.02 / Math.sqrt(2.0 * layers);
    int index = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      NDArray array = param.getArray();
      float[] values = new float[Math.toIntExact(array.getShape().size())];
      Random rng = new Random(Seeds.mix(seed, index++));
      switch (param.getType()) {
        case GAMMA -> Arrays.fill(values, 1f);
        case WEIGHT -> {
          String name = p.getKey();
          double std = name.contains("attentionOut") || name.contains("mlpOut") ? residualStd : 0.02;
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextGaussian() * std);
          }
        }
        default -> {
          if (p.getKey().contains("copy") && p.getKey().endsWith("gate_bias")) {
            Arrays.fill(values, CopyHead.GATE_START); // the copy head's gate starts near the vocabulary head
          }
        } // other biases and LayerNorm offsets start at zero
      }
      array.set(values);
    }
  }

  /**
   * Copies every parameter of {@code from} into the same-named parameter of {@code to} (which may have more, a
   * fresh value head say). The caller keeps {@code from}'s weights still (holds its read lock).
   */
  static void copy(CausalLmBlock from, CausalLmBlock to) {
    ParameterList target = to.getParameters();
    DjlRuntime.runWithoutGrad(() -> {
      for (Pair<String, Parameter> p : from.getParameters()) {
        target.get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
      }
    });
  }
}
