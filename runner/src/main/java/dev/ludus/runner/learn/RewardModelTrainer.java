package dev.ludus.runner.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.LanguageModel;
import java.util.List;
import java.util.Objects;

/**
 * Trains a Bradley–Terry reward model: a djl-lm transformer whose value head, read at a sequence's last token, is
 * its scalar reward {@code r(x)}; a step on pairs minimises {@code −log σ(r(chosen) − r(rejected))} averaged over
 * the pairs (Bradley &amp; Terry 1952; the reward-model loss of Ouyang et al. 2022 and TRL's {@code RewardTrainer}),
 * with AdamW, gradient clipping and the model's versioned update as the policy learner's. Law (tested): the loss is
 * {@code log 2} when the model scores both sides alike.
 *
 * <p>Not thread-safe: one trainer per model, which it does not own; {@link #close} releases the optimizer state.
 */
public final class RewardModelTrainer implements AutoCloseable {
  private final LanguageModel model;
  private final double learningRate;
  private final LearnerConfig config;
  private final AdamW optimizer;

  /**
   * What one step did, measured before it.
   *
   * @param loss the mean Bradley–Terry loss
   * @param accuracy the share of pairs the model ranked right ({@code r(chosen) > r(rejected)})
   * @param gradNorm the gradient's global L2 norm before clipping
   */
  public record Stats(double loss, double accuracy, double gradNorm) {}

  /**
   * @param model a model with a value head ({@link LanguageModel.Spec#valueHead()})
   * @param learningRate AdamW's step, above 0
   * @param maxGradNorm the global gradient norm clipped to; 0 for none
   */
  public RewardModelTrainer(LanguageModel model, double learningRate, double maxGradNorm) {
    this.model = Objects.requireNonNull(model, "model");
    if (!model.spec().valueHead()) {
      throw new IllegalArgumentException("a reward model needs a value head (LanguageModel.Spec.valueHead)");
    }
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
    }
    this.learningRate = learningRate;
    this.config = LearnerConfig.defaults().withMaxGradNorm(maxGradNorm);
    this.optimizer = new AdamW(model.parameters(), model.manager());
  }

  /** One step on the pairs {@code chosen.get(i)} over {@code rejected.get(i)} (token ids, each within the context). */
  public Stats step(List<int[]> chosen, List<int[]> rejected) {
    if (chosen.size() != rejected.size() || chosen.isEmpty()) {
      throw new IllegalArgumentException("need as many chosen as rejected sequences, at least one; had "
          + chosen.size() + " and " + rejected.size());
    }
    int n = chosen.size();
    int width = 0;
    for (int i = 0; i < n; i++) {
      width = Math.max(width, Math.max(chosen.get(i).length, rejected.get(i).length));
    }
    if (width > model.spec().context()) {
      throw new IllegalArgumentException("a sequence has " + width + " tokens, more than the model's context of "
          + model.spec().context());
    }
    long[] ids = new long[2 * n * width];
    float[] attention = new float[2 * n * width];
    long[] last = new long[2 * n];
    for (int r = 0; r < 2 * n; r++) {
      int[] seq = r < n ? chosen.get(r) : rejected.get(r - n);
      if (seq.length == 0) {
        throw new IllegalArgumentException("an empty sequence has no last token to score");
      }
      for (int j = 0; j < seq.length; j++) {
        ids[r * width + j] = seq[j];
        attention[r * width + j] = 1f;
      }
      last[r] = (long) r * width + seq.length - 1;
    }
    double loss;
    double accuracy;
    synchronized (PolicyLearner.GRADIENT_COLLECTOR) {
      OptimizerStep.zeroGradients(optimizer);
      Engine engine = model.manager().getEngine();
      try (NDManager m = model.manager().newSubManager();
          GradientCollector collector = engine.newGradientCollector()) {
        ParameterStore ps = new ParameterStore(m, false);
        LanguageModel.Heads heads = model.logitsAndValues(ps, m.create(ids, new Shape(2 * n, width)),
            m.create(attention, new Shape(2 * n, width)), true);
        NDArray rewards = heads.values().reshape(-1).gather(m.create(last), 0);
        NDArray margin = rewards.get("0:" + n).sub(rewards.get(n + ":"));
        NDArray x = margin.neg();
        NDArray perPair = OptimizerStep.softPlus(x); // −log σ(margin)
        NDArray mean = perPair.mean();
        collector.backward(mean);
        loss = mean.getFloat();
        float[] d = margin.stopGradient().toFloatArray();
        int right = 0;
        for (float v : d) {
          right += v > 0 ? 1 : 0;
        }
        accuracy = (double) right / n;
      }
    }
    return new Stats(loss, accuracy, OptimizerStep.apply(model, optimizer, config, learningRate).gradNorm());
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
