package dev.ludus.runner.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ludus.agents.djl.TrainablePolicy;
import java.util.List;

/**
 * One optimizer step of a model's accumulated gradients, as every learner here takes it: the global gradient norm
 * measured and clipped to {@link LearnerConfig#maxGradNorm()}, AdamW applied under the model's write lock
 * ({@link TrainablePolicy#update}, which bumps its version), the gradients zeroed whatever happened; a step whose
 * norm is not finite is skipped. Also the loss helpers the learners share. Stateless.
 */
final class OptimizerStep {
  private OptimizerStep() {}

  /**
   * @param gradNorm the global L2 norm of the gradient before clipping
   * @param applied whether AdamW stepped (false only for a non-finite gradient)
   */
  record Result(double gradNorm, boolean applied) {}

  static Result apply(TrainablePolicy model, AdamW optimizer, LearnerConfig config, double learningRate) {
    List<Parameter> params = optimizer.parameters();
    try (NDManager scratch = model.manager().newSubManager()) {
      NDArray[] gradients = new NDArray[params.size()];
      double sumOfSquares = 0;
      for (int i = 0; i < gradients.length; i++) {
        NDArray g = params.get(i).getArray().getGradient();
        g.attach(scratch);
        gradients[i] = g;
        sumOfSquares += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(sumOfSquares);
      if (!Double.isFinite(norm)) {
        return new Result(norm, false);
      }
      double max = config.maxGradNorm();
      double scale = max > 0 && norm > max ? max / (norm + 1e-6) : 1.0;
      model.update(() -> optimizer.step(gradients, scale, learningRate, config, scratch));
      return new Result(norm, true);
    } finally {
      zeroGradients(optimizer);
    }
  }

  /** Zeroes the gradient of every parameter {@code optimizer} trains. */
  static void zeroGradients(AdamW optimizer) {
    for (Parameter p : optimizer.parameters()) {
      NDArray a = p.getArray();
      if (a instanceof PtNDArray pt) {
        JniUtils.zeroGrad(pt);
      } else {
        try (NDArray g = a.getGradient()) {
          g.subi(g);
        }
      }
    }
  }

  /** {@code log(1 + e^x)}, stable for large {@code |x|}: {@code max(x, 0) + log(1 + e^{−|x|})}. */
  static NDArray softPlus(NDArray x) {
    return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
  }
}
