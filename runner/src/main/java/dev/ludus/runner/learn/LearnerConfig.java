package dev.ludus.runner.learn;

import dev.ludus.api.ConfigException;

/**
 * Every coefficient of the {@link PolicyLearner}: the PPO-clip objective (with the dual clip), its optional KL,
 * entropy and value terms, gradient clipping and the AdamW optimizer, with a learning rate for RL updates and
 * another for imitation (supervised) steps. Immutable; the compact constructor rejects a bad value with a
 * {@link ConfigException} naming the field, its value and what is allowed. {@link #defaults()} gives the
 * values listed below; the {@code with...} methods change one group.
 *
 * <p>The per-token loss, for an output token with new log-probability {@code l}, behaviour log-probability
 * {@code b} (recorded at rollout), advantage {@code A} and reference log-probability {@code r}, is
 * <pre>
 *   ratio = exp(l − b)
 *   clip  = max(−A·ratio, −A·clip(ratio, 1 − clipEpsilon, 1 + clipEpsilon))
 *   pg    = A ≥ 0 ? clip : min(clip, −A·dualClip)                 (dual clip; dualClip 0 turns it off)
 *   loss  = pg + klCoefficient · kl(l, r) − entropyCoefficient · H
 * </pre>
 * where {@code H} is the entropy of the whole next-token distribution at that position, and the batch loss
 * aggregates the per-token losses over the output tokens only, as {@link #aggregation()} says. The dual clip
 * (Ye et al. 2020, "Mastering Complex Control in MOBA Games with Deep RL"; verl's {@code clip_ratio_c}) bounds
 * the loss of a token with a negative advantage whose ratio has grown past {@code dualClip}: plain PPO-clip takes
 * the unclipped, pessimistic term there, {@code −A·ratio}, whose size grows without bound with the ratio, so one
 * stale or unlucky token could dominate the batch; beyond {@code dualClip} the loss is the constant
 * {@code −A·dualClip} and that token's gradient is zero.
 *
 * <p>{@code l}, {@code r} and {@code H} are taken in the distribution the sample was drawn from: the policy's
 * logits divided by the sample's sampling temperature ({@link Sample#temperature()}), as verl's actor does, so
 * the ratio of an on-policy sample is 1 at any temperature.
 *
 * <p>When the samples carry value targets ({@link Sample#valueTarget()}, from an estimator with a critic) and
 * the policy has a value head, each turn adds the clipped value loss on the value {@code V} of the state in
 * which it was written (verl's {@code compute_value_loss}), with target {@code R} and the value
 * {@code V_old} recorded when the advantages were estimated:
 * <pre>
 *   valueLoss = 0.5 · max((V − R)², (clip(V, V_old − valueClip, V_old + valueClip) − R)²)
 *   loss     += valueCoefficient · valueLoss
 * </pre>
 * aggregated like the policy loss: as if each output token of the turn carried its turn's value loss (token
 * mean: a turn weighs its output tokens over all output tokens of the turns with targets; sequence mean: every
 * such turn weighs the same).
 *
 * @param learningRate AdamW's step size for RL updates ({@link PolicyLearner#update}); default {@code 5e-4}
 *     (sized for the tiny in-process models; real models want 1e-6 to 1e-5); finite and above 0. RL's signal is
 *     noisy, so it steps smaller than imitation
 * @param imitationLearningRate AdamW's step size for imitation steps ({@link PolicyLearner#imitate}, the warm
 *     start); default {@code 1e-3}; finite and above 0
 * @param beta1 AdamW's first-moment decay; default 0.9; in [0, 1)
 * @param beta2 AdamW's second-moment decay; default 0.999; in [0, 1)
 * @param adamEpsilon added to the root of the second moment; default {@code 1e-8}; finite and above 0
 * @param weightDecay decoupled weight decay (AdamW), applied as {@code p ← p·(1 − lr·weightDecay)} to weight
 *     matrices and embeddings only, never to biases or LayerNorm gains and offsets; default 0.01; in [0, 1]
 * @param maxGradNorm the global L2 norm the gradient is scaled down to when larger (as PyTorch's
 *     {@code clip_grad_norm_}); default 1.0; 0 turns clipping off; finite and at least 0
 * @param clipEpsilon PPO's clip range ε; default 0.2; in (0, 1)
 * @param dualClip the dual-clip constant {@code c} for negative advantages; default 3 (verl's
 *     {@code clip_ratio_c}); 0 turns the dual clip off, otherwise above 1
 * @param klCoefficient weight of the KL-to-reference term; default 0, which turns it off (no reference model
 *     needed); finite and at least 0; above 0 the learner needs a reference model
 * @param klEstimator how the per-token KL is estimated; default {@link KlEstimator#K3}
 * @param entropyCoefficient weight of the entropy bonus (subtracted from the loss); default 0 (off); finite
 *     and at least 0
 * @param aggregation how per-token losses become one number; default {@link LossAggregation#TOKEN_MEAN}
 * @param microBatchSize the most rows in one forward and backward pass: a row is one turn in the per-turn layout
 *     ({@link PolicyLearner#update}) and one episode (or a segment of one) in the packed layout
 *     ({@link PolicyLearner#updatePacked}); gradients of the micro-batches add up to exactly the gradient of the
 *     whole batch, so this bounds memory and does not change the result beyond float rounding; default 16; 1 to
 *     65536
 * @param valueCoefficient weight of the value loss (PPO's {@code vf_coef}); default 0.5; finite and at least
 *     0; used only on samples with value targets, 0 leaves the value head untrained
 * @param valueClip how far the value may move from {@code V_old} before the clipped term can bind (verl's
 *     {@code cliprange_value}); default 0.2; 0 turns the clip off (a plain squared error); finite and at
 *     least 0
 * @param packing whether a trainer lays out an episode's turns as one row ({@link PackedSample}: the conversation
 *     once, every agent turn's tokens in the loss) rather than one row per turn that repeats the whole history
 *     in its prompt; the loss and its gradient are the same up to float rounding, only the work differs. Also
 *     packs {@link PolicyLearner#imitate}'s demonstrations whose prompts continue one another. Default true
 * @param microBatchTokens the most padded cells (rows × the longest row's tokens) in one micro-batch of the packed
 *     layout and of packed demonstrations, whose rows are sorted by length and taken while both this and
 *     {@link #microBatchSize()} allow (a row longer than this goes alone); the per-turn layout keeps its rows in
 *     order, {@code microBatchSize} at a time, as before packing. Like {@code microBatchSize} it bounds memory
 *     and does not change the result beyond float rounding; default 4096; 1 to 2^24
 */
public record LearnerConfig(
    double learningRate,
    double imitationLearningRate,
    double beta1,
    double beta2,
    double adamEpsilon,
    double weightDecay,
    double maxGradNorm,
    double clipEpsilon,
    double dualClip,
    double klCoefficient,
    KlEstimator klEstimator,
    double entropyCoefficient,
    LossAggregation aggregation,
    int microBatchSize,
    double valueCoefficient,
    double valueClip,
    boolean packing,
    int microBatchTokens) {

  /** Per-token estimators of {@code KL(π_θ ‖ π_ref)} from a sample of {@code π_θ} (Schulman's k1 and k3). */
  public enum KlEstimator {
    /** {@code l − r}: unbiased, can be negative per token, high variance. */
    K1,
    /**
     * {@code exp(r − l) − (r − l) − 1}: unbiased, never negative, lower variance; the GRPO default
     * (reward catalog E1).
     */
    K3
  }

  /** How per-token losses are averaged. */
  public enum LossAggregation {
    /**
     * The mean over every output token of the batch: each token weighs the same, so a long reply counts
     * more than a short one (DAPO's token-level loss; the default).
     */
    TOKEN_MEAN,
    /**
     * The mean over samples of each sample's mean over its output tokens: each turn weighs the same
     * however long it is (the original GRPO form).
     */
    SEQUENCE_MEAN
  }

  public LearnerConfig {
    positive("learningRate", learningRate);
    positive("imitationLearningRate", imitationLearningRate);
    unitInterval("beta1", beta1);
    unitInterval("beta2", beta2);
    positive("adamEpsilon", adamEpsilon);
    if (!(weightDecay >= 0 && weightDecay <= 1)) {
      throw new ConfigException("weightDecay must be in [0, 1], was " + weightDecay);
    }
    nonNegative("maxGradNorm", maxGradNorm, "; 0 turns clipping off");
    if (!(clipEpsilon > 0 && clipEpsilon < 1)) {
      throw new ConfigException("clipEpsilon must be in (0, 1), was " + clipEpsilon);
    }
    if (!(dualClip == 0 || (Double.isFinite(dualClip) && dualClip > 1))) {
      throw new ConfigException("dualClip must be 0 (off) or a finite number above 1, was " + dualClip);
    }
    nonNegative("klCoefficient", klCoefficient, "; 0 turns the KL term off");
    if (klEstimator == null) {
      throw new ConfigException("klEstimator must be one of K1, K3, was null");
    }
    nonNegative("entropyCoefficient", entropyCoefficient, "; 0 turns the entropy bonus off");
    if (aggregation == null) {
      throw new ConfigException("aggregation must be one of TOKEN_MEAN, SEQUENCE_MEAN, was null");
    }
    if (microBatchSize < 1 || microBatchSize > 65536) {
      throw new ConfigException("microBatchSize must be in [1, 65536], was " + microBatchSize);
    }
    nonNegative("valueCoefficient", valueCoefficient, "; 0 leaves the value head untrained");
    nonNegative("valueClip", valueClip, "; 0 turns the value clip off");
    if (microBatchTokens < 1 || microBatchTokens > 1 << 24) {
      throw new ConfigException("microBatchTokens must be in [1, 16777216], was " + microBatchTokens);
    }
  }

  /**
   * The documented defaults: RL lr 5e-4, imitation lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, grad
   * norm 1, ε 0.2, dual clip 3, no KL or entropy term, value coefficient 0.5, value clip 0.2, packing on, micro-batches
   * of at most 16 rows and 4096 padded cells.
   */
  public static LearnerConfig defaults() {
    return new LearnerConfig(5e-4, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1.0, 0.2, 3.0, 0.0, KlEstimator.K3, 0.0,
        LossAggregation.TOKEN_MEAN, 16, 0.5, 0.2, true, 4096);
  }

  /** This configuration with RL learning rate {@code lr} (the imitation rate unchanged). */
  public LearnerConfig withLearningRate(double lr) {
    return new LearnerConfig(lr, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay, maxGradNorm,
        clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  /** This configuration with imitation learning rate {@code lr}. */
  public LearnerConfig withImitationLearningRate(double lr) {
    return new LearnerConfig(learningRate, lr, beta1, beta2, adamEpsilon, weightDecay, maxGradNorm, clipEpsilon,
        dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize, valueCoefficient,
        valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withAdam(double b1, double b2, double eps, double decay) {
    return new LearnerConfig(learningRate, imitationLearningRate, b1, b2, eps, decay, maxGradNorm, clipEpsilon,
        dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize, valueCoefficient,
        valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withMaxGradNorm(double norm) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay, norm,
        clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withClipEpsilon(double epsilon) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, epsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  /** The dual-clip constant (0 turns the dual clip off). */
  public LearnerConfig withDualClip(double c) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, c, klCoefficient, klEstimator, entropyCoefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withKl(double coefficient, KlEstimator estimator) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, coefficient, estimator, entropyCoefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withEntropyCoefficient(double coefficient) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, coefficient, aggregation, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withAggregation(LossAggregation how) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, how, microBatchSize,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  public LearnerConfig withMicroBatchSize(int samples) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation, samples,
        valueCoefficient, valueClip, packing, microBatchTokens);
  }

  /** The value loss's coefficient and clip. */
  public LearnerConfig withValueLoss(double coefficient, double clip) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation,
        microBatchSize, coefficient, clip, packing, microBatchTokens);
  }

  /** This configuration with packing on or off (see {@link #packing()}). */
  public LearnerConfig withPacking(boolean on) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation,
        microBatchSize, valueCoefficient, valueClip, on, microBatchTokens);
  }

  /** This configuration with at most {@code cells} padded cells per packed micro-batch. */
  public LearnerConfig withMicroBatchTokens(int cells) {
    return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
        maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation,
        microBatchSize, valueCoefficient, valueClip, packing, cells);
  }

  /** Whether the KL term is on (and a reference model is needed). */
  public boolean usesReference() {
    return klCoefficient > 0;
  }

  /** Whether the dual clip is on. */
  public boolean usesDualClip() {
    return dualClip > 0;
  }

  private static void positive(String field, double value) {
    if (!(Double.isFinite(value) && value > 0)) {
      throw new ConfigException(field + " must be a finite number above 0, was " + value);
    }
  }

  private static void nonNegative(String field, double value, String note) {
    if (!(Double.isFinite(value) && value >= 0)) {
      throw new ConfigException(field + " must be a finite number at least 0" + note + ", was " + value);
    }
  }

  private static void unitInterval(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new ConfigException(field + " must be in [0, 1), was " + value);
    }
  }
}
