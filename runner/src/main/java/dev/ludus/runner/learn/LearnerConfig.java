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
 * @param ptxCoefficient weight of the imitation term on the warm start's demonstrations that every RL update adds
 *     to its loss (InstructGPT's PPO-ptx, Ouyang et al. 2022, eq. 2; OpenRLHF's {@code ptx_coef}):
 *     {@code loss += ptxCoefficient · NLL(demonstrations)}, the mean negative log-likelihood of the demonstrated
 *     target tokens at temperature 1, in the same backward pass and optimizer step as the PPO loss. It keeps what
 *     the warm start taught likely while RL moves the policy. Default 0 (off); finite and at least 0; it needs
 *     demonstrations ({@link PolicyLearner#setDemonstrations}), without which the term is absent
 * @param targetKl the trust region of one iteration's updates (Stable-Baselines3's and Spinning Up's PPO
 *     {@code target_kl}): an update whose {@link UpdateStats#behaviourKl()}, measured before its step, exceeds
 *     {@code 1.5 · targetKl} is not applied ({@link UpdateStats#klStopped()}), and the trainer ends the iteration's
 *     epochs there. Default 0 (off); finite and at least 0
 * @param klControl how the KL coefficient moves during RL: fixed at {@link #klCoefficient()} (the default), or
 *     adaptive (Ziegler et al. 2019; TRL's {@code AdaptiveKLController}, verl's {@code kl_ctrl.type: adaptive}),
 *     starting at {@code klCoefficient} and following the measured KL to the reference toward a target
 * @param ptxRows demonstration rows the PPO-ptx term reads per update: that many drawn uniformly without replacement
 *     (afresh each update, from a seed of the step count, so a resumed run draws the same), each weighted by all rows
 *     over drawn rows, so that the term's expectation over the draw is exactly the whole set's (Horvitz-Thompson) and
 *     its cost no longer grows with the demonstrations (gridworld's 801 re-imitated in full cost more padded cells
 *     than the update's own samples, issue 19). Default 0: every row, every update; at least 0
 * @param ptxLabels the most on-policy oracle labels (DAgger, Ross et al. 2011: the oracle's action at a state the
 *     policy reached) the PPO-ptx set keeps beside the warm start's demonstrations, the newest kept
 *     ({@link PolicyLearner#addLabels}); a trainer labels only where the environment's oracle can act from any state.
 *     Default 0: none; at least 0
 * @param ptxLabelsFrom which episodes the oracle labels ({@link LabelSource}): the greedy policy's failed ones (the
 *     default) or every sampled one
 * @param ptxLabelWeight the labels' own term in the PPO-ptx loss: their mean negative log-likelihood per token (apart
 *     from the demonstrations', which keep theirs) times this, times {@code ptxCoefficient}. Default 1; at least 0
 * @param daggerSteps DAgger's retraining on the aggregate dataset (Ross et al. 2011): after each iteration's RL
 *     updates, this many imitation steps at {@code imitationLearningRate}, each on a uniform draw from the warm start's
 *     demonstrations and the oracle labels pooled, every label counting as one more demonstration
 *     ({@link PolicyLearner#imitateAggregate}); a trainer takes them only where it labels. Not in the recipe: on
 *     frozen-lake's replayed warm starts 32 had RL's weights kept on all three seeds, but three whole runs held out
 *     no better than their warm starts (README "Retention"). Default 0: none; at least 0
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
    int microBatchTokens,
    double ptxCoefficient,
    double targetKl,
    KlControl klControl,
    int ptxRows,
    int ptxLabels,
    LabelSource ptxLabelsFrom,
    double ptxLabelWeight,
    int daggerSteps) {

  /**
   * Which of an iteration's episodes DAgger's oracle labels ({@link #ptxLabels()}), from their first off-path turn on.
   */
  public enum LabelSource {
    /**
     * A greedy episode of the policy per task of the iteration, on tasks of its own, labelled only when it failed and
     * only at its first turn off the oracle's path: the labels sit on the states the evaluated (greedy) policy reaches
     * and gets wrong, on the oracle's path (the default). On the Mastermind
     * plugin the greedy policy's failures were states no demonstration showed, where all 8 samples failed too, so RL
     * had no signal there (issue 19).
     */
    GREEDY_FAILURES,
    /**
     * Every sampled training episode. At temperature 1 most of those states are ones the greedy policy never reaches;
     * on the Mastermind plugin their labels' loss stayed at 1.2–1.7 nats and they did not help (README, Retention).
     */
    SAMPLED
  }

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

  /**
   * How the KL coefficient moves (verl's {@code algorithm.kl_ctrl}). {@link Type#FIXED}: it stays at
   * {@link LearnerConfig#klCoefficient()}. {@link Type#ADAPTIVE}: the proportional controller of Ziegler et al. 2019
   * ("Fine-Tuning Language Models from Human Preferences", section 2.2; TRL's {@code AdaptiveKLController}): after
   * each applied RL update with measured KL {@code kl} to the reference,
   * <pre>
   *   e = clip(kl / target − 1, −0.2, 0.2)
   *   β ← β · (1 + e / horizon)
   * </pre>
   * so β rises while the policy is further from the reference than {@code target} and falls while it is closer, by
   * at most a factor {@code 1 ± 0.2/horizon} per update. ({@code horizon} counts updates here; TRL's counts samples,
   * with {@code n_steps} the batch size.) It needs {@code klCoefficient} above 0 (the starting β).
   *
   * @param type FIXED or ADAPTIVE; default FIXED
   * @param target the KL to the reference the adaptive controller steers toward (nats per token, the configured
   *     estimator); default 0.05; finite and above 0
   * @param horizon updates over which a 20% error changes β by about 20%; default 10; finite and at least 1
   */
  public record KlControl(Type type, double target, double horizon) {
    /** Whether the coefficient is fixed or follows the measured KL. */
    public enum Type {
      FIXED,
      ADAPTIVE
    }

    public KlControl {
      if (type == null) {
        throw new ConfigException("klControl.type must be one of FIXED, ADAPTIVE, was null");
      }
      if (!(Double.isFinite(target) && target > 0)) {
        throw new ConfigException("klControl.target must be a finite number above 0, was " + target);
      }
      if (!(Double.isFinite(horizon) && horizon >= 1)) {
        throw new ConfigException("klControl.horizon must be a finite number at least 1, was " + horizon);
      }
    }

    /** A fixed coefficient (target 0.05 and horizon 10 unused). */
    public static KlControl fixed() {
      return new KlControl(Type.FIXED, 0.05, 10);
    }

    /** The adaptive controller toward {@code target} over {@code horizon} updates. */
    public static KlControl adaptive(double target, double horizon) {
      return new KlControl(Type.ADAPTIVE, target, horizon);
    }

    /** Whether the coefficient follows the measured KL. */
    public boolean adaptive() {
      return type == Type.ADAPTIVE;
    }

    /**
     * The controller's next coefficient after an update that measured {@code kl} with coefficient {@code beta}
     * ({@code beta} itself when fixed, or when {@code kl} is not finite).
     */
    public double next(double beta, double kl) {
      if (!adaptive() || !Double.isFinite(kl)) {
        return beta;
      }
      double error = Math.max(-0.2, Math.min(0.2, kl / target - 1));
      return beta * (1 + error / horizon);
    }
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
    nonNegative("ptxCoefficient", ptxCoefficient, "; 0 turns the imitation term off");
    nonNegative("targetKl", targetKl, "; 0 turns the trust-region stop off");
    if (ptxRows < 0) {
      throw new ConfigException("ptxRows must be at least 0 (0: every demonstration row in every update), was "
          + ptxRows);
    }
    if (ptxLabels < 0) {
      throw new ConfigException("ptxLabels must be at least 0 (0: no on-policy oracle labels), was " + ptxLabels);
    }
    if (ptxLabelsFrom == null) {
      ptxLabelsFrom = LabelSource.GREEDY_FAILURES;
    }
    nonNegative("ptxLabelWeight", ptxLabelWeight, "; 0 leaves the labels out of the term");
    if (daggerSteps < 0) {
      throw new ConfigException("daggerSteps must be at least 0 (0: no imitation steps on the aggregate of "
          + "demonstrations and labels), was " + daggerSteps);
    }
    if (klControl == null) {
      klControl = KlControl.fixed();
    }
    if (klControl.adaptive() && !(klCoefficient > 0)) {
      throw new ConfigException("klControl.type is ADAPTIVE but klCoefficient is " + klCoefficient + "; the adaptive "
          + "controller starts from klCoefficient, so set it above 0 (e.g. 0.04) or use type FIXED");
    }
  }

  /**
   * The documented defaults: RL lr 5e-4, imitation lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, grad
   * norm 1, ε 0.2, dual clip 3, no KL or entropy term, value coefficient 0.5, value clip 0.2, packing on, micro-batches
   * of at most 16 rows and 4096 padded cells, no imitation term, no trust-region stop, a fixed KL coefficient; the
   * imitation term (when on) reads every demonstration row and no oracle labels (when on: the greedy policy's
   * failures, their own term at weight 1), and no imitation steps on the aggregate.
   */
  public static LearnerConfig defaults() {
    return new LearnerConfig(5e-4, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1.0, 0.2, 3.0, 0.0, KlEstimator.K3, 0.0,
        LossAggregation.TOKEN_MEAN, 16, 0.5, 0.2, true, 4096, 0.0, 0.0, KlControl.fixed(), 0, 0,
        LabelSource.GREEDY_FAILURES, 1.0, 0);
  }

  /** This configuration with RL learning rate {@code lr} (the imitation rate unchanged). */
  public LearnerConfig withLearningRate(double lr) {
    return edit(c -> c.learningRate = lr);
  }

  /** This configuration with imitation learning rate {@code lr}. */
  public LearnerConfig withImitationLearningRate(double lr) {
    return edit(c -> c.imitationLearningRate = lr);
  }

  public LearnerConfig withAdam(double b1, double b2, double eps, double decay) {
    return edit(c -> {
      c.beta1 = b1;
      c.beta2 = b2;
      c.adamEpsilon = eps;
      c.weightDecay = decay;
    });
  }

  public LearnerConfig withMaxGradNorm(double norm) {
    return edit(c -> c.maxGradNorm = norm);
  }

  public LearnerConfig withClipEpsilon(double epsilon) {
    return edit(c -> c.clipEpsilon = epsilon);
  }

  /** The dual-clip constant (0 turns the dual clip off). */
  public LearnerConfig withDualClip(double constant) {
    return edit(c -> c.dualClip = constant);
  }

  public LearnerConfig withKl(double coefficient, KlEstimator estimator) {
    return edit(c -> {
      c.klCoefficient = coefficient;
      c.klEstimator = estimator;
    });
  }

  public LearnerConfig withEntropyCoefficient(double coefficient) {
    return edit(c -> c.entropyCoefficient = coefficient);
  }

  public LearnerConfig withAggregation(LossAggregation how) {
    return edit(c -> c.aggregation = how);
  }

  public LearnerConfig withMicroBatchSize(int samples) {
    return edit(c -> c.microBatchSize = samples);
  }

  /** The value loss's coefficient and clip. */
  public LearnerConfig withValueLoss(double coefficient, double clip) {
    return edit(c -> {
      c.valueCoefficient = coefficient;
      c.valueClip = clip;
    });
  }

  /** This configuration with packing on or off (see {@link #packing()}). */
  public LearnerConfig withPacking(boolean on) {
    return edit(c -> c.packing = on);
  }

  /** This configuration with at most {@code cells} padded cells per packed micro-batch. */
  public LearnerConfig withMicroBatchTokens(int cells) {
    return edit(c -> c.microBatchTokens = cells);
  }

  /** This configuration with the PPO-ptx imitation term's weight (see {@link #ptxCoefficient()}). */
  public LearnerConfig withPtxCoefficient(double coefficient) {
    return edit(c -> c.ptxCoefficient = coefficient);
  }

  /** This configuration with the PPO-ptx term reading {@code rows} drawn demonstration rows per update (0: all). */
  public LearnerConfig withPtxRows(int rows) {
    return edit(c -> c.ptxRows = rows);
  }

  /** This configuration keeping at most {@code labels} on-policy oracle labels in the PPO-ptx set (0: none). */
  public LearnerConfig withPtxLabels(int labels) {
    return edit(c -> c.ptxLabels = labels);
  }

  /** This configuration labelling {@code from}'s episodes, the labels' term at {@code weight} (see {@link #ptxLabelWeight}). */
  public LearnerConfig withLabels(LabelSource from, double weight) {
    return edit(c -> {
      c.ptxLabelsFrom = from;
      c.ptxLabelWeight = weight;
    });
  }

  /** This configuration taking {@code steps} imitation steps on the aggregate each iteration (see {@link #daggerSteps}). */
  public LearnerConfig withDaggerSteps(int steps) {
    return edit(c -> c.daggerSteps = steps);
  }

  /** This configuration with the trust-region stop at {@code kl} (see {@link #targetKl()}; 0 turns it off). */
  public LearnerConfig withTargetKl(double kl) {
    return edit(c -> c.targetKl = kl);
  }

  /** This configuration with how the KL coefficient moves. */
  public LearnerConfig withKlControl(KlControl control) {
    return edit(c -> c.klControl = control);
  }

  /** Whether the KL term is on (and a reference model is needed). */
  public boolean usesReference() {
    return klCoefficient > 0;
  }

  /** Whether the dual clip is on. */
  public boolean usesDualClip() {
    return dualClip > 0;
  }

  /** Whether RL updates add the imitation term (when they have demonstrations). */
  public boolean usesPtx() {
    return ptxCoefficient > 0;
  }

  /** Whether an iteration's updates stop at the trust region {@link #targetKl()}. */
  public boolean usesTargetKl() {
    return targetKl > 0;
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

  /** This configuration with what {@code change} sets on a copy of its values. */
  private LearnerConfig edit(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy of the components, so that each {@code with…} names only what it changes. */
  private static final class Copy {
    double learningRate;
    double imitationLearningRate;
    double beta1;
    double beta2;
    double adamEpsilon;
    double weightDecay;
    double maxGradNorm;
    double clipEpsilon;
    double dualClip;
    double klCoefficient;
    KlEstimator klEstimator;
    double entropyCoefficient;
    LossAggregation aggregation;
    int microBatchSize;
    double valueCoefficient;
    double valueClip;
    boolean packing;
    int microBatchTokens;
    double ptxCoefficient;
    double targetKl;
    KlControl klControl;
    int ptxRows;
    int ptxLabels;
    LabelSource ptxLabelsFrom;
    double ptxLabelWeight;
    int daggerSteps;

    Copy(LearnerConfig from) {
      learningRate = from.learningRate;
      imitationLearningRate = from.imitationLearningRate;
      beta1 = from.beta1;
      beta2 = from.beta2;
      adamEpsilon = from.adamEpsilon;
      weightDecay = from.weightDecay;
      maxGradNorm = from.maxGradNorm;
      clipEpsilon = from.clipEpsilon;
      dualClip = from.dualClip;
      klCoefficient = from.klCoefficient;
      klEstimator = from.klEstimator;
      entropyCoefficient = from.entropyCoefficient;
      aggregation = from.aggregation;
      microBatchSize = from.microBatchSize;
      valueCoefficient = from.valueCoefficient;
      valueClip = from.valueClip;
      packing = from.packing;
      microBatchTokens = from.microBatchTokens;
      ptxCoefficient = from.ptxCoefficient;
      targetKl = from.targetKl;
      klControl = from.klControl;
      ptxRows = from.ptxRows;
      ptxLabels = from.ptxLabels;
      ptxLabelsFrom = from.ptxLabelsFrom;
      ptxLabelWeight = from.ptxLabelWeight;
      daggerSteps = from.daggerSteps;
    }

    LearnerConfig build() {
      return new LearnerConfig(learningRate, imitationLearningRate, beta1, beta2, adamEpsilon, weightDecay,
          maxGradNorm, clipEpsilon, dualClip, klCoefficient, klEstimator, entropyCoefficient, aggregation,
          microBatchSize, valueCoefficient, valueClip, packing, microBatchTokens, ptxCoefficient, targetKl, klControl,
          ptxRows, ptxLabels, ptxLabelsFrom, ptxLabelWeight, daggerSteps);
    }
  }
}
