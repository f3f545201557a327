package dev.ludus.runner.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.TrainablePolicy;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Optimizer steps on a model for a loss its caller builds: the scoring models that learn online or from their own
 * objective (PRIME's implicit PRM, CRM's peer-reviewed reward models, Sotopia-RL's utterance reward model) take
 * their steps exactly as the policy learner does: the loss's gradient under the JVM's one gradient collector, the
 * global norm clipped to {@code maxGradNorm}, AdamW under the model's write lock (its version goes up by one), the
 * gradients zeroed whatever happened.
 *
 * <p>Not thread-safe: one stepper per model, which it does not own; {@link #close} releases the optimizer state.
 */
public final class LossStepper implements AutoCloseable {
  private final TrainablePolicy model;
  private final double learningRate;
  private final LearnerConfig config;
  private final AdamW optimizer;

  /**
   * What one step did.
   *
   * @param loss the loss, measured before the step
   * @param gradNorm the gradient's global L2 norm before clipping
   * @param applied whether AdamW stepped (false only for a non-finite gradient)
   */
  public record Stats(double loss, double gradNorm, boolean applied) {}

  /**
   * @param model the model whose parameters the steps change
   * @param learningRate AdamW's step, above 0
   * @param maxGradNorm the global gradient norm clipped to; 0 for none
   */
  public LossStepper(TrainablePolicy model, double learningRate, double maxGradNorm) {
    this.model = Objects.requireNonNull(model, "model");
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
    }
    this.learningRate = learningRate;
    this.config = LearnerConfig.defaults().withMaxGradNorm(maxGradNorm);
    this.optimizer = new AdamW(model.parameters(), model.manager());
  }

  /**
   * One step on the scalar {@code loss} builds from a parameter store and a scratch manager (closed after the
   * backward pass); the forward passes it runs must be in training mode through that store.
   */
  public Stats step(BiFunction<ParameterStore, NDManager, NDArray> loss) {
    double value;
    synchronized (PolicyLearner.GRADIENT_COLLECTOR) {
      OptimizerStep.zeroGradients(optimizer);
      Engine engine = model.manager().getEngine();
      try (NDManager m = model.manager().newSubManager();
          GradientCollector collector = engine.newGradientCollector()) {
        NDArray l = loss.apply(new ParameterStore(m, false), m);
        collector.backward(l);
        value = l.getFloat();
      }
    }
    OptimizerStep.Result r = OptimizerStep.apply(model, optimizer, config, learningRate);
    return new Stats(value, r.gradNorm(), r.applied());
  }

  /** {@code log(1 + e^x)}, stable for large {@code |x|}. */
  public static NDArray softPlus(NDArray x) {
    return OptimizerStep.softPlus(x);
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
