package dev.ludus.runner.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.Seeds;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The learner's update core: one optimization step of a {@link TrainablePolicy} on a batch of agent turns
 * ({@link #update}, PPO-clip with the dual clip, optional KL-to-reference and entropy terms, and the clipped value
 * loss on the policy's value head for samples with value targets) or of demonstrations ({@link #imitate},
 * supervised cross-entropy at its own learning rate), with its own AdamW state and atomic checkpoints. It talks to
 * the model only through {@link TrainablePolicy}: parameters, teacher-forced logits (and values), the versioned
 * update under the write lock, save and frozen copies.
 *
 * <p>Design. A batch is a list of rows ({@link PackedSample}): in the per-turn layout ({@link #update}) each
 * sample is a row of its own, its prompt then its output; in the packed layout ({@link #updatePacked}) a row is a
 * conversation whose agent turns are all trained in it, the history read once instead of once per turn. The rows
 * are split into micro-batches ({@link #microBatches}); each is laid out right-padded ({@link TokenBatch}), run
 * through the policy teacher-forced in one forward pass, and its weighted loss is back-propagated into the
 * parameters' gradients, which add up over the micro-batches. The loss mask covers only the turns' output tokens,
 * never a prompt, which holds the environment's, simulated user's and tools' text; each output token is weighed as
 * in its own row (token mean or sequence mean over the batch's turns), so both layouts give the same loss and
 * gradient up to float rounding. A row holds one conversation: several short episodes in one row would need a
 * block-diagonal attention mask and positions restarting at each episode, which {@link TrainablePolicy#logits}
 * (a padding mask, causal attention built inside) does not take; sorting the packed rows by length into
 * micro-batches keeps the padding small instead. The trunk runs over every cell of a micro-batch (the trained
 * tokens attend to their whole history), but the vocabulary head, the log-softmax, the entropy and every per-token
 * loss term are computed only at the trained cells ({@link TokenBatch#trainedCells}, through
 * {@link TrainablePolicy#logitsAt}): a loss reads no other cell, since its mask and weights are zero there, and in
 * the default job they are about 3% of the padded cells. The behaviour log-probabilities are those recorded at
 * rollout ({@code TokenTrace}), so the importance ratio {@code exp(logp_new − logp_behaviour)} corrects for
 * samples produced by an older policy. The new log-probability is taken in the distribution the sample was drawn
 * from: the policy's sampling logits ({@link TrainablePolicy#logits}: special tokens excluded as the sampler
 * excludes them) divided by the sample's temperature ({@link Sample#temperature()}), as verl's actor divides by
 * the rollout temperature (per turn: turns drawn at different temperatures may share a packed row), so an
 * on-policy sample has ratio exactly 1 (up to float rounding) at any temperature;
 * the entropy and the KL term are taken in that distribution too. Top-k and top-p are not applied (see
 * {@link TrainablePolicy}): a sample drawn with them starts with a ratio below 1. The log-ratio and the KL's
 * log-difference are clamped to [−20, 20] before the exponential, for numerical safety (as verl does). Then
 * the global gradient norm is measured and clipped, and AdamW steps inside {@link TrainablePolicy#update}, which
 * holds the model's write lock and bumps the policy version: a rollout never reads half-updated weights. The
 * forward and backward passes only read the weights and run outside that lock, so generation keeps going
 * while the learner computes gradients. A step whose gradient is not finite is skipped (weights and version
 * unchanged, {@code applied = false}).
 *
 * <p>The critic. When samples carry value targets ({@link Sample#valueTarget()}), the same forward pass also
 * reads the value head ({@link TrainablePolicy#logitsAndValues}) at each turn's last prompt token, the state in
 * which the turn was written, and the clipped value loss ({@link LearnerConfig}) joins the loss; policy and
 * critic share the trunk, the optimizer and the step (as TRL's {@code AutoModelForCausalLMWithValueHead}), so
 * there is no separate critic checkpoint: the value head is part of the policy's.
 *
 * <p>Keeping a warm start (issue 19). With {@link LearnerConfig#ptxCoefficient()} above 0 and demonstrations
 * ({@link #setDemonstrations}), every RL update also back-propagates the demonstrations' imitation loss times that
 * coefficient (PPO-ptx) into the same gradient before the one clipped step; with {@link LearnerConfig#ptxRows()} it
 * reads a uniform draw of that many demonstration rows, reweighted so that its expectation is the whole set's. On-policy
 * oracle labels ({@link #addLabels}, DAgger), capped at {@link LearnerConfig#ptxLabels()}, are a term of their own
 * (their mean per token times {@link LearnerConfig#ptxLabelWeight()}), so that it covers the states the policy itself
 * reaches as well as the oracle's path. With {@link LearnerConfig#targetKl()}
 * above 0 an update whose behaviour KL, measured in its forward pass, exceeds {@code 1.5 · targetKl} discards its
 * gradient and reports {@link UpdateStats#klStopped()}, for the trainer to end the iteration. With the adaptive
 * {@link LearnerConfig#klControl()} the KL coefficient follows the measured KL after every applied update.
 *
 * <p>The reference model, when given, is frozen: the learner only reads it, for the KL term
 * ({@link LearnerConfig#klCoefficient()}) and for monitoring. {@link TrainablePolicy#frozenCopy} makes one; it may
 * be given at construction or later ({@link #setReference}: a trainer makes it from the policy after the warm
 * start, which trains through this learner), and is saved in every checkpoint.
 *
 * <p>Thread-safety: the public methods are synchronized; a model must have at most one learner (the only
 * writer of its weights). DJL's PyTorch engine allows one gradient collector per JVM at a time, so learners
 * of different models serialize their backward passes. Life-cycle: the learner does not own the models it is
 * given; {@link #close()} releases only its optimizer state. Close the learner before its policy.
 */
public final class PolicyLearner implements AutoCloseable {
  /** DJL's PyTorch engine allows one gradient collector per JVM at a time: every learner holds this while it has one. */
  static final Object GRADIENT_COLLECTOR = new Object();
  private static final float LOG_RATIO_LIMIT = 20f;
  /** The smallest share of the RL learning rate the trust region's step control goes down to. */
  static final double MIN_STEP_SCALE = 1.0 / 64;

  private final TrainablePolicy policy;
  private TrainablePolicy reference;
  private final LearnerConfig config;
  private final AdamW optimizer;
  /** Mixed with the step count, the seed of each update's draw of PPO-ptx rows ({@link LearnerConfig#ptxRows()}). */
  private static final long PTX_DRAW_SEED = 0x9E3779B97F4A7C15L;

  /** The warm start's demonstrations for the PPO-ptx term; empty without. */
  private List<Demonstration> demonstrations = List.of();
  /** On-policy oracle labels for the PPO-ptx term (DAgger), oldest first; empty without. */
  private List<Demonstration> labels = List.of();
  /** The demonstrations' rows, and their micro-batches when every row is read. */
  private List<PackedSample> ptxRows = List.of();
  private List<TokenBatch> ptxBatches = List.of();
  /** The labels' micro-batches: their own mean per token, times {@link LearnerConfig#ptxLabelWeight()}. */
  private List<TokenBatch> labelBatches = List.of();
  /** The KL coefficient of the next update: the configured one, moved by the adaptive controller if on. */
  private double klCoefficient;
  /** The RL step's share of {@link LearnerConfig#learningRate()}: the trust region's step control (at most 1). */
  private double stepScale = 1;
  private long samplesSeen;
  private long tokensSeen;
  private boolean closed;
  private boolean fullHead;
  /**
   * The reference's log-probabilities of the rows this iteration's updates have read ({@link #referenceLogProbs}), by
   * row identity: the reference is frozen, so a row read again (the next epoch's mini-batches) costs no second
   * forward pass. Emptied by {@link #endIteration} and {@link #setReference}, and when it would pass
   * {@value #REFERENCE_MEMO_ROWS} rows.
   */
  private final Map<PackedSample, float[]> referenceMemo = new IdentityHashMap<>();
  /** The most rows {@link #referenceMemo} holds. */
  static final int REFERENCE_MEMO_ROWS = 1 << 14;

  /**
   * A learner for {@code policy} with fresh optimizer state.
   *
   * @param reference the frozen reference policy, or null; an update with a KL coefficient above 0 needs one
   *     (given here or with {@link #setReference})
   */
  public PolicyLearner(TrainablePolicy policy, TrainablePolicy reference, LearnerConfig config) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.config = Objects.requireNonNull(config, "config");
    checkReference(reference);
    this.reference = reference;
    this.klCoefficient = config.klCoefficient();
    this.optimizer = new AdamW(policy.parameters(), policy.manager());
  }

  /**
   * The demonstrations the PPO-ptx term imitates during every later RL update ({@link LearnerConfig#ptxCoefficient()}
   * above 0): a trainer gives the warm start's, after it. They are saved in every later checkpoint and read back by
   * {@link #resume}. An empty list (and no {@link #labels}) removes the term.
   *
   * @throws IllegalArgumentException if a demonstration does not fit the model (context, vocabulary)
   */
  public synchronized void setDemonstrations(List<Demonstration> demonstrations) {
    ensureOpen();
    setPtxSet(List.copyOf(demonstrations), labels);
  }

  /** The demonstrations of the PPO-ptx term (empty for none), without the oracle labels ({@link #labels}). */
  public synchronized List<Demonstration> demonstrations() {
    return demonstrations;
  }

  /**
   * Adds on-policy oracle labels to the PPO-ptx set (DAgger, Ross et al. 2011): the oracle's action at prompts the
   * policy itself reached, so that the imitation term covers the states its own mistakes lead to, not only the
   * oracle's path. At most {@link LearnerConfig#ptxLabels()} are kept, the newest; with 0 none are. The warm start's
   * demonstrations are always kept. Labels are saved in checkpoints with them.
   *
   * @return the labels held now
   * @throws IllegalArgumentException if a label does not fit the model (context, vocabulary)
   */
  public synchronized int addLabels(List<Demonstration> fresh) {
    ensureOpen();
    int cap = config.ptxLabels();
    if (cap == 0 || fresh.isEmpty()) {
      return labels.size();
    }
    List<Demonstration> all = new ArrayList<>(labels);
    all.addAll(fresh);
    setPtxSet(demonstrations, List.copyOf(all.subList(Math.max(0, all.size() - cap), all.size())));
    return labels.size();
  }

  /** The on-policy oracle labels of the PPO-ptx term, oldest first (empty for none). */
  public synchronized List<Demonstration> labels() {
    return labels;
  }

  /**
   * The term's two parts: the demonstrations (drawn per update with {@link LearnerConfig#ptxRows()}) and the labels,
   * each normalised over its own tokens, so that however many labels there are, and however badly the policy fits
   * them at first, they weigh {@link LearnerConfig#ptxLabelWeight()} against the demonstrations' whole path (pooled,
   * 1,024 sampled labels at 1.2–1.7 nats outweighed 429 demonstrations at 0.04 on the Mastermind plugin, issue 19).
   */
  private void setPtxSet(List<Demonstration> demos, List<Demonstration> newLabels) {
    List<PackedSample> rows = demos.isEmpty() ? List.of() : imitationRows(demos);
    List<PackedSample> labelRows = newLabels.isEmpty() ? List.of() : imitationRows(newLabels);
    if (!rows.isEmpty()) {
      checkFits(rows);
    }
    if (!labelRows.isEmpty()) {
      checkFits(labelRows);
    }
    demonstrations = demos;
    labels = newLabels;
    ptxRows = rows;
    ptxBatches = rows.isEmpty() || config.ptxRows() > 0 && rows.size() > config.ptxRows() ? List.of()
        : rowBatches(rows);
    labelBatches = labelRows.isEmpty() || config.ptxLabelWeight() == 0 ? List.of()
        : rowBatches(labelRows, labelRows.stream().mapToLong(PackedSample::outputTokens).sum(),
            labelRows.stream().mapToInt(r -> r.turns().size()).sum(), (float) config.ptxLabelWeight());
  }

  /**
   * The KL coefficient the next RL update uses: {@link LearnerConfig#klCoefficient()}, or where the adaptive
   * controller ({@link LearnerConfig#klControl()}) has taken it; saved in checkpoints.
   */
  public synchronized double klCoefficient() {
    return klCoefficient;
  }

  /**
   * The frozen model the KL term is measured against from now on (null for none); it is saved in every later
   * checkpoint. The learner does not own it: its owner closes it after the learner.
   */
  public synchronized void setReference(TrainablePolicy reference) {
    ensureOpen();
    checkReference(reference);
    this.reference = reference;
    referenceMemo.clear();
  }

  /** The reference model, or null. */
  public synchronized TrainablePolicy reference() {
    return reference;
  }

  private void checkReference(TrainablePolicy candidate) {
    if (candidate == null) {
      return;
    }
    if (candidate == policy) {
      throw new IllegalArgumentException("the reference model must be a frozen copy, not the policy itself "
          + "(see TrainablePolicy.frozenCopy)");
    }
    if (candidate.spec().vocabSize() != policy.spec().vocabSize()) {
      throw new IllegalArgumentException("the reference model's vocabulary (" + candidate.spec().vocabSize()
          + ") differs from the policy's (" + policy.spec().vocabSize() + ")");
    }
  }

  /**
   * A learner that continues from checkpoint {@code directory}: its optimizer state and counters. The policy
   * (and reference) must be the checkpoint's, loaded with {@link LearnerCheckpoint#loadPolicy} (and
   * {@link LearnerCheckpoint#loadReference}); their version must match the checkpoint's. {@code config} may
   * differ from the saved one (which {@code learner.json} records for reference only); with the same one, the
   * next update gives exactly the weights an uninterrupted run would have.
   */
  public static PolicyLearner resume(Path directory, TrainablePolicy policy, TrainablePolicy reference,
      LearnerConfig config) {
    JsonNode state = LearnerCheckpoint.readState(directory);
    long savedVersion = state.path("policyVersion").asLong(-1);
    if (policy.version() != savedVersion) {
      throw new IllegalArgumentException("the policy is at version " + policy.version() + " but checkpoint "
          + directory + " was saved at version " + savedVersion + "; load it with LearnerCheckpoint.loadPolicy");
    }
    PolicyLearner learner = new PolicyLearner(policy, reference, config);
    try (InputStream file = Files.newInputStream(directory.resolve(LearnerCheckpoint.OPTIMIZER));
        DataInputStream in = new DataInputStream(new BufferedInputStream(file))) {
      learner.optimizer.read(in);
      learner.samplesSeen = state.path("samples").asLong();
      learner.tokensSeen = state.path("tokens").asLong();
      if (state.has("stepScale") && config.usesTargetKl()) {
        learner.stepScale = state.path("stepScale").asDouble();
      }
      if (state.has("klCoefficient") && config.klControl().adaptive()) {
        learner.klCoefficient = state.path("klCoefficient").asDouble();
      }
      Path demos = directory.resolve(LearnerCheckpoint.DEMONSTRATIONS);
      if (Files.isRegularFile(demos)) {
        List<Demonstration> all = LearnerCheckpoint.readDemonstrations(demos);
        int labelled = Math.min(all.size(), state.path("labels").asInt(0));
        learner.setPtxSet(List.copyOf(all.subList(0, all.size() - labelled)),
            List.copyOf(all.subList(all.size() - labelled, all.size())));
      }
      if (learner.steps() != state.path("steps").asLong()) {
        throw new IOException("optimizer state has " + learner.steps() + " steps but "
            + LearnerCheckpoint.STATE + " says " + state.path("steps").asLong());
      }
      return learner;
    } catch (IOException e) {
      learner.close();
      throw new UncheckedIOException("cannot resume from " + directory + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      learner.close();
      throw e;
    }
  }

  /**
   * One PPO step on {@code samples} laid out one turn per row (each row a turn's prompt then its output, rows in
   * order, {@link LearnerConfig#microBatchSize()} per micro-batch): forward and backward over the output tokens
   * (plus the value loss of the samples with value targets), gradient clipping, AdamW at
   * {@link LearnerConfig#learningRate()} under the policy's write lock (the version goes up by one).
   *
   * @throws IllegalArgumentException if a sample has a value target and the policy has no value head
   * @throws IllegalStateException if the KL coefficient is above 0 and the learner has no reference model
   */
  public synchronized UpdateStats update(List<Sample> samples) {
    return ppoStep(samples.stream().map(PackedSample::of).toList(), false);
  }

  /**
   * One PPO step on packed rows ({@link PackedSample}: a conversation once, several agent turns trained in it):
   * the same loss, gradient and statistics as {@link #update} on the rows' turns (up to float rounding), with the
   * rows sorted by length into micro-batches of at most {@link LearnerConfig#microBatchSize()} rows and
   * {@link LearnerConfig#microBatchTokens()} padded cells. {@link UpdateStats#samples()} counts turns.
   *
   * @throws IllegalArgumentException if a turn has a value target and the policy has no value head
   * @throws IllegalStateException if the KL coefficient is above 0 and the learner has no reference model
   */
  public synchronized UpdateStats updatePacked(List<PackedSample> rows) {
    return ppoStep(List.copyOf(rows), true);
  }

  private UpdateStats ppoStep(List<PackedSample> rows, boolean packed) {
    ensureOpen();
    if (config.usesReference() && reference == null) {
      throw new IllegalStateException("klCoefficient is " + config.klCoefficient() + " but the learner has no "
          + "reference model; give it a frozen copy of the policy (TrainablePolicy.frozenCopy, setReference) or set "
          + "klCoefficient to 0");
    }
    checkFits(rows);
    List<Sample> turns = rows.stream().flatMap(r -> r.turns().stream()).toList();
    if (!policy.hasValueHead() && turns.stream().anyMatch(Sample::hasValueTarget)) {
      throw new IllegalArgumentException("the samples carry value targets but the policy has no value head; create "
          + "it with LanguageModel.Spec.valueHead (djl-lm: valueHead: true), or use an estimator without a critic");
    }
    List<TokenBatch> batches = ppoBatches(rows, packed);
    double beta = klCoefficient;
    List<TokenBatch> ptx = config.usesPtx() ? ptxBatches(steps()) : List.of();
    Pass pass = backward(batches, false, ptx);
    int valueSamples = (int) turns.stream().filter(Sample::hasValueTarget).count();
    if (config.usesTargetKl() && pass.behaviourKl > 1.5 * config.targetKl()) {
      // the trust region (SB3's target_kl): the policy has moved too far from the one that sampled the batch
      zeroGradients();
      return new UpdateStats(pass.loss, pass.policy, pass.kl, pass.entropy, pass.clipHigh + pass.clipLow,
          pass.clipHigh, pass.clipLow, pass.dualClip, pass.ratio, pass.ratioMin, pass.ratioMax, pass.behaviourKl,
          pass.value, pass.valueMean, pass.explainedVariance(), pass.valueClip, valueSamples, 0,
          pass.tokens, turns.size(), false, policy.version(), steps(), pass.rows, pass.paddedCells, pass.ptx,
          pass.ptxTokens, beta, true);
    }
    OptimizerStep.Result step = OptimizerStep.apply(policy, optimizer, config, config.learningRate() * stepScale);
    count(step, turns.size(), pass.tokens);
    if (step.applied() && reference != null) {
      klCoefficient = config.klControl().next(klCoefficient, pass.kl);
    }
    return new UpdateStats(pass.loss, pass.policy, pass.kl, pass.entropy, pass.clipHigh + pass.clipLow, pass.clipHigh,
        pass.clipLow, pass.dualClip, pass.ratio, pass.ratioMin, pass.ratioMax, pass.behaviourKl, pass.value,
        pass.valueMean, pass.explainedVariance(), pass.valueClip, valueSamples, step.gradNorm(), pass.tokens,
        turns.size(), step.applied(), policy.version(), steps(), pass.rows, pass.paddedCells, pass.ptx, pass.ptxTokens,
        beta, false);
  }

  /** The share of {@link LearnerConfig#learningRate()} the next RL update steps by (1 without a trust region). */
  public synchronized double stepScale() {
    return stepScale;
  }

  /**
   * The trust region's step control, told one iteration's updates (in order) once they are done. With
   * {@link LearnerConfig#targetKl()} above 0: when an update was refused at the region ({@link UpdateStats#klStopped()}),
   * the steps were too large for the iteration to use its mini-batches, so the RL learning rate halves (down to
   * {@value #MIN_STEP_SCALE} of the configured one); when every update stayed within half the target (the largest
   * {@code behaviourKl} measured), it grows by half again, never above the configured rate. As rsl_rl's and
   * rl_games' KL-adaptive learning rate (Rudin et al. 2022), with SB3's stop kept as the hard limit: an overshooting
   * step no longer leaves each later iteration one update on a quarter of its samples (sokoban in issue 19: every
   * second update refused). Without a trust region it does nothing. The scale is saved in checkpoints.
   */
  public synchronized void endIteration(List<UpdateStats> updates) {
    ensureOpen();
    referenceMemo.clear(); // the next iteration's rows are new
    if (!config.usesTargetKl() || updates.isEmpty()) {
      return;
    }
    boolean stopped = updates.stream().anyMatch(UpdateStats::klStopped);
    double largest = updates.stream().mapToDouble(UpdateStats::behaviourKl).max().orElse(0);
    if (stopped) {
      stepScale = Math.max(MIN_STEP_SCALE, stepScale / 2);
    } else if (largest < config.targetKl() / 2) {
      stepScale = Math.min(1, stepScale * 1.5);
    }
  }

  /**
   * One supervised step: minimizes the negative log-likelihood of each demonstration's target tokens given
   * its prompt (the same output-only mask and aggregation as {@link #update}, the same optimizer, at
   * {@link LearnerConfig#imitationLearningRate()}), in the sampling distribution at temperature 1. With
   * {@link LearnerConfig#packing()}, demonstrations whose prompts continue one another's prompt and target (the
   * turns of one demonstrated episode) share a row ({@link PackedSample#pack}): the same loss and gradient up to
   * float rounding, for less work.
   */
  public synchronized ImitationStats imitate(List<Demonstration> demonstrations) {
    return imitate(demonstrations, config.imitationLearningRate());
  }

  /**
   * The imitation loss, token accuracy and entropy of the policy on {@code demonstrations} as {@link #imitate} would
   * report them, without a step: the weights, the optimizer, the gradients and the counters are left as they were
   * (forward passes only). For held-out imitation: how well the policy predicts demonstrations it was not fitted to.
   * {@link ImitationStats#applied()} is false and its {@code gradNorm} 0.
   */
  public synchronized ImitationStats measureImitation(List<Demonstration> demonstrations) {
    ensureOpen();
    List<PackedSample> rows = imitationRows(demonstrations);
    checkFits(rows);
    Pass pass = measure(rowBatches(rows));
    double accuracy = pass.tokens == 0 ? 0 : (double) pass.hits / pass.tokens;
    return new ImitationStats(pass.loss, accuracy, pass.entropy, 0, pass.tokens, demonstrations.size(), false,
        policy.version(), steps(), pass.rows, pass.paddedCells);
  }

  /**
   * {@link #imitate(List)} at {@code learningRate}: the supervised step of rejection-sampling fine-tuning (RAFT),
   * which trains on the policy's own best episodes at the RL learning rate.
   */
  public synchronized ImitationStats imitate(List<Demonstration> demonstrations, double learningRate) {
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
    }
    ensureOpen();
    List<PackedSample> rows = imitationRows(demonstrations);
    checkFits(rows);
    List<TokenBatch> batches = rowBatches(rows);
    Pass pass = backward(batches, true);
    OptimizerStep.Result step = OptimizerStep.apply(policy, optimizer, config, learningRate);
    count(step, demonstrations.size(), pass.tokens);
    double accuracy = pass.tokens == 0 ? 0 : (double) pass.hits / pass.tokens;
    return new ImitationStats(pass.loss, accuracy, pass.entropy, step.gradNorm(), pass.tokens, demonstrations.size(),
        step.applied(), policy.version(), steps(), pass.rows, pass.paddedCells);
  }

  /**
   * One imitation step on DAgger's aggregate dataset (Ross et al. 2011: retrain on every demonstration and label so
   * far): {@code batch} demonstrations drawn uniformly, with replacement, from the warm start's demonstrations and the
   * oracle labels pooled ({@link #demonstrations}, then {@link #labels}), so each label counts as one more
   * demonstration, not as a term of its own; 0 takes the whole pool. At {@link LearnerConfig#imitationLearningRate()}.
   * On frozen-lake the PPO-ptx label term alone (a few labels weighing as much as all demonstrations) dragged the
   * policy and RL's weights were set aside on every seed; these steps fit labels and demonstrations together (issue 19:
   * kept on every replayed seed, no better held out in whole runs).
   *
   * @param rng the draw's source (a trainer seeds one per iteration, so a resumed run draws the same)
   * @return the step's figures, or null when there is nothing to imitate
   */
  public synchronized ImitationStats imitateAggregate(int batch, SplittableRandom rng) {
    ensureOpen();
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be at least 0 (0: the whole pool), was " + batch);
    }
    int pool = demonstrations.size() + labels.size();
    if (pool == 0) {
      return null;
    }
    int size = batch == 0 ? pool : batch;
    List<Demonstration> draw = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int k = batch == 0 ? i : rng.nextInt(pool);
      draw.add(k < demonstrations.size() ? demonstrations.get(k) : labels.get(k - demonstrations.size()));
    }
    return imitate(draw);
  }

  /**
   * One preference step (DPO or IPO, {@link PreferenceLoss}) on {@code pairs} at {@link LearnerConfig#learningRate()}:
   * each side's log-likelihood under the policy and under the frozen reference is the sum of the log-probabilities
   * of its agent tokens (at temperature 1; the prompts, which hold the environment's text, are context only), the
   * loss is the mean over the pairs, and the step is clipped and applied as {@link #update}'s. A side's turns are
   * packed into rows as {@link PackedSample#pack} allows when {@link LearnerConfig#packing()} is on; the
   * micro-batches take whole pairs, so that each pair's loss, which is not a sum over tokens, is computed in one
   * forward pass.
   *
   * @param beta the strength of the implicit KL regularisation (DPO's and IPO's β), above 0
   * @throws IllegalStateException without a reference model (the implicit reward is measured against it)
   */
  public synchronized PreferenceStats preferenceStep(List<PreferencePair> pairs, PreferenceLoss loss, double beta) {
    ensureOpen();
    Objects.requireNonNull(loss, "loss");
    if (!(beta > 0 && Double.isFinite(beta))) {
      throw new IllegalArgumentException("beta must be positive and finite, was " + beta);
    }
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("the batch is empty");
    }
    if (reference == null) {
      throw new IllegalStateException(loss + " measures the policy against a reference model, and the learner has "
          + "none; give it a frozen copy of the policy (TrainablePolicy.frozenCopy, setReference)");
    }
    List<List<PackedSample>> sides = new ArrayList<>(); // chosen of pair i at 2i, rejected at 2i + 1
    for (PreferencePair p : pairs) {
      sides.add(preferenceRows(p.chosen()));
      sides.add(preferenceRows(p.rejected()));
    }
    checkFits(sides.stream().flatMap(List::stream).toList());
    // micro-batches of whole pairs, within the row and cell budgets (a pair alone may exceed them)
    List<int[]> chunks = new ArrayList<>(); // {first pair, end pair}
    int first = 0;
    int rowsIn = 0;
    int widest = 0;
    for (int i = 0; i < pairs.size(); i++) {
      int rows = sides.get(2 * i).size() + sides.get(2 * i + 1).size();
      int width = Math.max(widest(sides.get(2 * i)), widest(sides.get(2 * i + 1)));
      boolean fits = rowsIn + rows <= config.microBatchSize()
          && (long) (rowsIn + rows) * Math.max(widest, width) <= config.microBatchTokens();
      if (i > first && !fits) {
        chunks.add(new int[] {first, i});
        first = i;
        rowsIn = 0;
        widest = 0;
      }
      rowsIn += rows;
      widest = Math.max(widest, width);
    }
    chunks.add(new int[] {first, pairs.size()});
    double lossSum = 0;
    double margins = 0;
    double chosen = 0;
    double rejected = 0;
    double entropySum = 0;
    int wins = 0;
    long tokens = 0;
    int rowCount = 0;
    long cells = 0;
    Engine engine = policy.manager().getEngine();
    synchronized (GRADIENT_COLLECTOR) {
      zeroGradients();
      try (NDManager manager = policy.manager().newSubManager();
          GradientCollector collector = engine.newGradientCollector()) {
        ParameterStore ps = new ParameterStore(manager, false);
        for (int[] chunk : chunks) {
          List<PackedSample> rows = new ArrayList<>();
          List<Integer> sideOf = new ArrayList<>(); // the index into sides of each row
          for (int side = 2 * chunk[0]; side < 2 * chunk[1]; side++) {
            for (PackedSample row : sides.get(side)) {
              rows.add(row);
              sideOf.add(side);
            }
          }
          int n = chunk[1] - chunk[0];
          float[][] referenceColumns = referenceLogProbs(rows);
          double[] referenceSums = new double[2 * n];
          // selection matrices (pairs × rows): which rows make up each pair's chosen and rejected side
          float[] chosenRows = new float[n * rows.size()];
          float[] rejectedRows = new float[n * rows.size()];
          for (int r = 0; r < rows.size(); r++) {
            int local = sideOf.get(r) - 2 * chunk[0];
            (local % 2 == 0 ? chosenRows : rejectedRows)[(local / 2) * rows.size() + r] = 1f;
            for (Sample turn : rows.get(r).turns()) {
              for (int j = 0; j < turn.outputLength(); j++) {
                referenceSums[local] += referenceColumns[r][turn.promptLength() - 1 + j];
              }
            }
            tokens += rows.get(r).outputTokens();
          }
          TokenBatch b = TokenBatch.of(rows, null, LearnerConfig.LossAggregation.TOKEN_MEAN, 1, 1, 0, 0, 0);
          try (NDManager m = manager.newSubManager()) {
            Forward f = forward(ps, m, b);
            entropySum += weighted(f.entropy, b.cells(m, b.mask));
            NDArray perRow = f.logp.mul(b.cells(m, b.mask)).sum(new int[] {1}).reshape(rows.size(), 1);
            NDArray logChosen = m.create(chosenRows, new ai.djl.ndarray.types.Shape(n, rows.size())).matMul(perRow)
                .reshape(n);
            NDArray logRejected = m.create(rejectedRows, new ai.djl.ndarray.types.Shape(n, rows.size()))
                .matMul(perRow).reshape(n);
            float[] refChosen = new float[n];
            float[] refRejected = new float[n];
            for (int i = 0; i < n; i++) {
              refChosen[i] = (float) referenceSums[2 * i];
              refRejected[i] = (float) referenceSums[2 * i + 1];
            }
            NDArray chosenRatio = logChosen.sub(m.create(refChosen));
            NDArray rejectedRatio = logRejected.sub(m.create(refRejected));
            NDArray delta = chosenRatio.sub(rejectedRatio);
            NDArray perPair = switch (loss) {
              case DPO -> OptimizerStep.softPlus(delta.mul((float) -beta));
              case IPO -> delta.sub((float) (1 / (2 * beta))).square();
            };
            NDArray chunkLoss = perPair.sum().div((float) pairs.size());
            collector.backward(chunkLoss);
            lossSum += perPair.stopGradient().sum().getFloat();
            float[] d = delta.stopGradient().toFloatArray();
            float[] c = chosenRatio.stopGradient().toFloatArray();
            float[] r = rejectedRatio.stopGradient().toFloatArray();
            for (int i = 0; i < n; i++) {
              wins += d[i] > 0 ? 1 : 0;
              margins += beta * d[i];
              chosen += beta * c[i];
              rejected += beta * r[i];
            }
          }
          rowCount += b.rows;
          cells += b.paddedCells();
        }
      }
    }
    OptimizerStep.Result step = OptimizerStep.apply(policy, optimizer, config, config.learningRate());
    count(step, 2 * pairs.size(), tokens);
    int p = pairs.size();
    return new PreferenceStats(lossSum / p, (double) wins / p, margins / p, chosen / p, rejected / p,
        tokens == 0 ? 0 : entropySum / tokens, step.gradNorm(), p, tokens, step.applied(), policy.version(), steps(),
        rowCount, cells);
  }

  /** A response's turns as rows: packed where their prompts continue one another, at temperature 1. */
  private List<PackedSample> preferenceRows(List<Sample> turns) {
    List<Sample> plain = new ArrayList<>(turns.size());
    for (Sample s : turns) {
      int n = s.outputLength();
      plain.add(new Sample(s.promptIds(), s.outputIds(), new float[n], new float[n], null, -1));
    }
    return config.packing() ? PackedSample.pack(plain) : plain.stream().map(PackedSample::of).toList();
  }

  private static int widest(List<PackedSample> rows) {
    return rows.stream().mapToInt(PackedSample::length).max().orElse(0);
  }

  /**
   * Writes a checkpoint into {@code directory} atomically (see {@link LearnerCheckpoint} for the layout),
   * replacing one that is there.
   */
  public synchronized void save(Path directory) {
    ensureOpen();
    AtomicDirectory.write(directory, tmp -> {
      policy.save(tmp.resolve(LearnerCheckpoint.POLICY));
      if (reference != null) {
        reference.save(tmp.resolve(LearnerCheckpoint.REFERENCE));
      }
      if (!demonstrations.isEmpty() || !labels.isEmpty()) {
        List<Demonstration> all = new ArrayList<>(demonstrations);
        all.addAll(labels); // the labels last: state.json's "labels" counts them
        LearnerCheckpoint.writeDemonstrations(tmp.resolve(LearnerCheckpoint.DEMONSTRATIONS), all);
      }
      try (OutputStream file = Files.newOutputStream(tmp.resolve(LearnerCheckpoint.OPTIMIZER));
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
        optimizer.write(out);
      }
      ObjectNode state = LearnerCheckpoint.JSON.createObjectNode();
      state.put("format", LearnerCheckpoint.FORMAT);
      state.put("steps", optimizer.steps());
      state.put("samples", samplesSeen);
      state.put("tokens", tokensSeen);
      state.put("policyVersion", policy.version());
      state.put("reference", reference != null);
      state.put("klCoefficient", klCoefficient);
      state.put("stepScale", stepScale);
      state.put("demonstrations", demonstrations.size());
      state.put("labels", labels.size());
      state.set("config", LearnerCheckpoint.JSON.valueToTree(config));
      LearnerCheckpoint.JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(LearnerCheckpoint.STATE).toFile(),
          state);
    });
  }

  /** Optimizer steps taken (RL and imitation), counted across resumes. */
  public synchronized long steps() {
    return optimizer.steps();
  }

  /** Samples and demonstrations trained on, counted across resumes. */
  public synchronized long samplesSeen() {
    return samplesSeen;
  }

  /** Output and target tokens trained on, counted across resumes. */
  public synchronized long tokensSeen() {
    return tokensSeen;
  }

  public LearnerConfig config() {
    return config;
  }

  public TrainablePolicy policy() {
    return policy;
  }

  /** Releases the optimizer state; the models stay open. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      optimizer.close();
    }
  }

  // ---- internals, package-private for tests ----

  /** The PPO micro-batches of {@code samples} in the per-turn layout ({@link #update}'s). */
  List<TokenBatch> ppoBatches(List<Sample> samples) {
    return ppoBatches(samples.stream().map(PackedSample::of).toList(), false);
  }

  /** The PPO micro-batches of packed rows ({@link #updatePacked}'s). */
  List<TokenBatch> packedBatches(List<PackedSample> rows) {
    return ppoBatches(rows, true);
  }

  /**
   * The PPO micro-batches of {@code rows}, with the reference's log-probabilities when there is one and the value
   * targets of the turns that have them.
   */
  private List<TokenBatch> ppoBatches(List<PackedSample> rows, boolean packed) {
    long tokens = 0;
    int turns = 0;
    long valueTokens = 0;
    int valueTurns = 0;
    for (PackedSample row : rows) {
      for (Sample s : row.turns()) {
        tokens += s.outputLength();
        turns++;
        if (s.hasValueTarget()) {
          valueTokens += s.outputLength();
          valueTurns++;
        }
      }
    }
    List<TokenBatch> out = new ArrayList<>();
    for (List<PackedSample> chunk : microBatches(rows, packed)) {
      float[][] ref = reference == null ? null : memoizedReferenceLogProbs(chunk);
      out.add(TokenBatch.of(chunk, ref, config.aggregation(), tokens, turns, valueTokens, valueTurns, 0));
    }
    return out;
  }

  /**
   * The micro-batches: in the per-turn layout the rows in order, {@link LearnerConfig#microBatchSize()} at a time
   * (as before packing); packed, the rows sorted by length (stable), each micro-batch taking rows while it has
   * fewer than {@code microBatchSize} and its padded cells (rows × the longest) stay within
   * {@link LearnerConfig#microBatchTokens()}, so that short rows are not padded to long ones.
   */
  List<List<PackedSample>> microBatches(List<PackedSample> rows, boolean packed) {
    List<List<PackedSample>> out = new ArrayList<>();
    if (!packed) {
      for (int start = 0; start < rows.size(); start += config.microBatchSize()) {
        out.add(rows.subList(start, Math.min(rows.size(), start + config.microBatchSize())));
      }
      return out;
    }
    List<PackedSample> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(PackedSample::length));
    List<PackedSample> current = new ArrayList<>();
    for (PackedSample row : sorted) {
      // sorted ascending: this row is the longest so far, so it sets the width
      long cells = (long) (current.size() + 1) * row.length();
      if (!current.isEmpty() && (current.size() >= config.microBatchSize() || cells > config.microBatchTokens())) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.add(row);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /**
   * {@link #referenceLogProbs} of {@code chunk}, reading the rows already computed this iteration from
   * {@link #referenceMemo} and computing only the others (in one forward pass).
   */
  private float[][] memoizedReferenceLogProbs(List<PackedSample> chunk) {
    float[][] out = new float[chunk.size()][];
    List<PackedSample> missing = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int r = 0; r < chunk.size(); r++) {
      out[r] = referenceMemo.get(chunk.get(r));
      if (out[r] == null) {
        missing.add(chunk.get(r));
        at.add(r);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    float[][] computed = referenceLogProbs(missing);
    if (referenceMemo.size() + missing.size() > REFERENCE_MEMO_ROWS) {
      referenceMemo.clear();
    }
    for (int i = 0; i < computed.length; i++) {
      out[at.get(i)] = computed[i];
      referenceMemo.put(missing.get(i), computed[i]);
    }
    return out;
  }

  /** The rows {@link #referenceMemo} holds, for tests. */
  synchronized int referenceMemoRows() {
    return referenceMemo.size();
  }

  /**
   * The reference policy's log-probability at every column of each row ({@code [row][column]}, read at output
   * columns), in the distribution of the temperature of the turn there: one forward pass per micro-batch, one
   * entry per row and distinct temperature, from the first output of a turn at that temperature to the row's end.
   * For a row of one turn that is exactly its prompt and output.
   */
  private float[][] referenceLogProbs(List<PackedSample> chunk) {
    List<int[]> prompts = new ArrayList<>();
    List<int[]> outputs = new ArrayList<>();
    List<Double> temperatures = new ArrayList<>();
    List<int[]> entries = new ArrayList<>(); // {row, first output position}
    for (int r = 0; r < chunk.size(); r++) {
      PackedSample row = chunk.get(r);
      int[] ids = row.ids();
      List<Double> seen = new ArrayList<>();
      for (Sample s : row.turns()) {
        if (seen.contains(s.temperature())) {
          continue;
        }
        seen.add(s.temperature());
        int from = s.promptLength(); // the first turn at this temperature: the turns are in order
        prompts.add(Arrays.copyOfRange(ids, 0, from));
        outputs.add(Arrays.copyOfRange(ids, from, ids.length));
        temperatures.add(s.temperature());
        entries.add(new int[] {r, from});
      }
    }
    float[][] lp = reference.logProbs(prompts, outputs, temperatures.stream().mapToDouble(Double::doubleValue)
        .toArray());
    float[][] out = new float[chunk.size()][];
    for (int r = 0; r < chunk.size(); r++) {
      out[r] = new float[chunk.get(r).length() - 1];
    }
    for (int e = 0; e < entries.size(); e++) {
      int r = entries.get(e)[0];
      int from = entries.get(e)[1];
      for (Sample s : chunk.get(r).turns()) {
        if (s.temperature() != temperatures.get(e)) {
          continue;
        }
        for (int j = 0; j < s.outputLength(); j++) {
          out[r][s.promptLength() - 1 + j] = lp[e][s.promptLength() + j - from];
        }
      }
    }
    return out;
  }

  /** The demonstrations as rows: one each, or packed where their prompts continue one another. */
  private List<PackedSample> imitationRows(List<Demonstration> demonstrations) {
    if (demonstrations.isEmpty()) {
      throw new IllegalArgumentException("the batch is empty");
    }
    List<Sample> turns = new ArrayList<>(demonstrations.size());
    for (Demonstration d : demonstrations) {
      int n = d.targetIds().length;
      // behaviour and advantages are not read by the imitation loss
      turns.add(new Sample(d.promptIds(), d.targetIds(), new float[n], new float[n], null, -1));
    }
    return config.packing() ? PackedSample.pack(turns) : turns.stream().map(PackedSample::of).toList();
  }

  List<TokenBatch> imitationBatches(List<Demonstration> demonstrations) {
    return rowBatches(imitationRows(demonstrations));
  }

  private List<TokenBatch> rowBatches(List<PackedSample> rows) {
    long tokens = rows.stream().mapToLong(PackedSample::outputTokens).sum();
    int turns = rows.stream().mapToInt(r -> r.turns().size()).sum();
    return rowBatches(rows, tokens, turns, 1f);
  }

  /**
   * The micro-batches of {@code rows}, weighted as parts of a batch of {@code tokens} output tokens and {@code turns}
   * turns, every weight times {@code scale}.
   */
  private List<TokenBatch> rowBatches(List<PackedSample> rows, long tokens, int turns, float scale) {
    List<TokenBatch> out = new ArrayList<>();
    for (List<PackedSample> chunk : microBatches(rows, config.packing())) {
      TokenBatch b = TokenBatch.of(chunk, null, config.aggregation(), tokens, turns, 0, 0, 0);
      if (scale != 1f) {
        for (int i = 0; i < b.weights.length; i++) {
          b.weights[i] *= scale;
        }
      }
      out.add(b);
    }
    return out;
  }

  /**
   * The PPO-ptx micro-batches of the update at optimizer step {@code step}: every demonstration row, or with
   * {@link LearnerConfig#ptxRows()} below their number the rows {@link #ptxDraw} draws for the step, weighted as
   * parts of the whole set and then by all rows over drawn rows; then every label row, their own term. Each row is drawn with probability k/R, so the
   * expectation of every weight, and so of the term's loss and gradient, is the whole set's.
   */
  List<TokenBatch> ptxBatches(long step) {
    int k = config.ptxRows();
    List<TokenBatch> demos = ptxRows.isEmpty() || k == 0 || ptxRows.size() <= k ? ptxBatches
        : ptxBatches(ptxDraw(ptxRows.size(), k, step));
    if (labelBatches.isEmpty()) {
      return demos;
    }
    List<TokenBatch> out = new ArrayList<>(demos);
    out.addAll(labelBatches);
    return out;
  }

  /** The PPO-ptx micro-batches of the demonstration rows {@code drawn} (indices into {@link #ptxRows()}). */
  List<TokenBatch> ptxBatches(int[] drawn) {
    long tokens = ptxRows.stream().mapToLong(PackedSample::outputTokens).sum();
    int turns = ptxRows.stream().mapToInt(r -> r.turns().size()).sum();
    List<PackedSample> rows = new ArrayList<>(drawn.length);
    for (int i : drawn) {
      rows.add(ptxRows.get(i));
    }
    return rowBatches(rows, tokens, turns, (float) ((double) ptxRows.size() / drawn.length));
  }

  /** {@code k} of {@code 0..rows-1}, uniformly without replacement (a partial Fisher-Yates shuffle), ascending. */
  static int[] ptxDraw(int rows, int k, long step) {
    int[] index = new int[rows];
    for (int i = 0; i < rows; i++) {
      index[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(PTX_DRAW_SEED, step));
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(rows - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    int[] out = Arrays.copyOf(index, k);
    Arrays.sort(out);
    return out;
  }

  /** The demonstration rows of the PPO-ptx term (the labels apart), for tests. */
  List<PackedSample> ptxRows() {
    return ptxRows;
  }

  /** Sums of the weighted per-token statistics over the micro-batches of one batch. */
  static final class Pass {
    double loss;
    double policy;
    double kl;
    double entropy;
    double clipHigh;
    double clipLow;
    double dualClip;
    double ratio;
    double ratioMin = Double.POSITIVE_INFINITY;
    double ratioMax = Double.NEGATIVE_INFINITY;
    double behaviourKl;
    long hits;
    double value;
    double valueMean;
    double valueClip;
    // weighted sums (the value weights add up to 1) for the explained variance
    double targetSum;
    double targetSquares;
    double residualSum;
    double residualSquares;
    long tokens;
    int rows;
    long paddedCells;
    // the PPO-ptx term: the demonstrations' mean NLL (unweighted by its coefficient) and their target tokens
    double ptx;
    long ptxTokens;

    double explainedVariance() {
      double targetVariance = targetSquares - targetSum * targetSum;
      double residualVariance = residualSquares - residualSum * residualSum;
      return targetVariance > 1e-12 ? 1 - residualVariance / targetVariance : 0;
    }
  }

  /**
   * Zeroes the gradients, then runs forward and backward over every micro-batch, leaving the batch's
   * gradient in the parameters.
   */
  Pass backward(List<TokenBatch> batches, boolean imitation) {
    return backward(batches, imitation, List.of());
  }

  /**
   * {@link #backward(List, boolean)}, then the PPO-ptx term: the imitation loss of {@code ptx} (the demonstrations'
   * micro-batches) times {@link LearnerConfig#ptxCoefficient()}, back-propagated into the same gradients.
   */
  Pass backward(List<TokenBatch> batches, boolean imitation, List<TokenBatch> ptx) {
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("the batch is empty");
    }
    Pass pass = new Pass();
    Engine engine = policy.manager().getEngine();
    synchronized (GRADIENT_COLLECTOR) {
      zeroGradients();
      try (NDManager manager = policy.manager().newSubManager();
          GradientCollector collector = engine.newGradientCollector()) {
        ParameterStore ps = new ParameterStore(manager, false);
        for (TokenBatch batch : batches) {
          try (NDManager m = manager.newSubManager()) {
            NDArray loss = imitation ? imitationLoss(ps, m, batch, pass) : ppoLoss(ps, m, batch, pass);
            collector.backward(loss);
          }
          pass.tokens += batch.outputTokens;
          pass.rows += batch.rows;
          pass.paddedCells += batch.paddedCells();
        }
        float coefficient = (float) config.ptxCoefficient();
        for (TokenBatch batch : ptx) {
          try (NDManager m = manager.newSubManager()) {
            Forward f = lossForward(ps, m, batch);
            NDArray nll = f.logp.neg().mul(perToken(m, batch, batch.weights)).sum();
            double value = weighted(nll, null);
            pass.ptx += value;
            pass.loss += coefficient * value;
            collector.backward(nll.mul(coefficient));
          }
          pass.ptxTokens += batch.outputTokens;
        }
      }
    }
    return pass;
  }

  /**
   * The imitation figures of {@code batches} from the forward passes alone: no backward pass, the gradients left
   * as they were, and none of {@link #backward}'s backward work (the warm start measures all demonstrations so).
   */
  private Pass measure(List<TokenBatch> batches) {
    Pass pass = new Pass();
    try (NDManager manager = policy.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(manager, false);
      for (TokenBatch batch : batches) {
        try (NDManager m = manager.newSubManager()) {
          imitationLoss(ps, m, batch, pass);
        }
        pass.tokens += batch.outputTokens;
        pass.rows += batch.rows;
        pass.paddedCells += batch.paddedCells();
      }
    }
    return pass;
  }

  /** The PPO loss of one micro-batch (a scalar with a graph), adding its statistics to {@code pass}. */
  private NDArray ppoLoss(ParameterStore ps, NDManager m, TokenBatch b, Pass pass) {
    Forward f = lossForward(ps, m, b);
    NDArray mask = perToken(m, b, b.mask);
    NDArray weights = perToken(m, b, b.weights);
    NDArray advantages = perToken(m, b, b.advantages);
    NDArray logRatio = f.logp.sub(perToken(m, b, b.behaviour)).mul(mask).clip(-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
    NDArray ratio = logRatio.exp();
    float eps = (float) config.clipEpsilon();
    NDArray policyLoss = PpoObjective.tokenLoss(ratio, advantages, eps, config.dualClip());
    NDArray perToken = policyLoss;
    NDArray kl = null;
    if (reference != null) {
      NDArray diff = perToken(m, b, b.reference).sub(f.logp).mul(mask).clip(-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
      kl = switch (config.klEstimator()) {
        case K1 -> diff.neg();
        case K3 -> diff.exp().sub(diff).sub(1f);
      };
      if (klCoefficient > 0) {
        perToken = perToken.add(kl.mul((float) klCoefficient));
      }
    }
    if (config.entropyCoefficient() > 0) {
      perToken = perToken.sub(f.entropy.mul((float) config.entropyCoefficient()));
    }
    NDArray loss = perToken.mul(weights).sum();
    if (f.values != null) {
      loss = loss.add(valueLoss(m, b, f.values, pass).mul((float) config.valueCoefficient()));
    }
    pass.loss += weighted(loss, null);
    pass.policy += weighted(policyLoss, weights);
    pass.kl += kl == null ? 0 : weighted(kl, weights);
    pass.entropy += weighted(f.entropy, weights);
    NDArray r = ratio.stopGradient();
    NDArray positive = advantages.gt(0f).toType(DataType.FLOAT32, false);
    NDArray negative = advantages.lt(0f).toType(DataType.FLOAT32, false);
    pass.clipHigh += weighted(r.gt(1 + eps).toType(DataType.FLOAT32, false).mul(positive), weights);
    pass.clipLow += weighted(r.lt(1 - eps).toType(DataType.FLOAT32, false).mul(negative), weights);
    if (config.usesDualClip()) {
      pass.dualClip += weighted(r.gt((float) config.dualClip()).toType(DataType.FLOAT32, false).mul(negative),
          weights);
    }
    pass.ratio += weighted(ratio, weights);
    pass.ratioMax = Math.max(pass.ratioMax, r.mul(mask).max().getFloat());
    pass.ratioMin = Math.min(pass.ratioMin, r.add(mask.sub(1f).mul(-1e9f)).min().getFloat());
    NDArray lr = logRatio.stopGradient();
    pass.behaviourKl += weighted(lr.exp().sub(1f).sub(lr), weights);
    return loss;
  }

  /**
   * The clipped value loss of one micro-batch's turns with targets, weighted (a scalar with a graph), adding its
   * statistics to {@code pass}. {@code values} is the value head's output (rows, width).
   */
  private NDArray valueLoss(NDManager m, TokenBatch b, NDArray values, Pass pass) {
    NDArray v = b.selectValues(m, values);
    NDArray target = m.create(b.valueTargets);
    NDArray old = m.create(b.oldValues);
    NDArray w = m.create(b.valueWeights);
    float c = (float) config.valueClip();
    NDArray clippedV = c > 0 ? v.sub(old).clip(-c, c).add(old) : v;
    NDArray unclipped = v.sub(target).square();
    NDArray clipped = clippedV.sub(target).square();
    NDArray perRow = unclipped.maximum(clipped).mul(0.5f);
    pass.value += weighted(perRow, w);
    pass.valueMean += weighted(v, w);
    pass.valueClip += weighted(clipped.stopGradient().gt(unclipped.stopGradient()).toType(DataType.FLOAT32, false), w);
    NDArray residual = target.sub(v.stopGradient());
    pass.targetSum += weighted(target, w);
    pass.targetSquares += weighted(target.square(), w);
    pass.residualSum += weighted(residual, w);
    pass.residualSquares += weighted(residual.square(), w);
    return perRow.mul(w).sum();
  }

  private NDArray imitationLoss(ParameterStore ps, NDManager m, TokenBatch b, Pass pass) {
    Forward f = lossForward(ps, m, b);
    NDArray weights = perToken(m, b, b.weights);
    NDArray loss = f.logp.neg().mul(weights).sum();
    pass.loss += weighted(loss, null);
    pass.entropy += weighted(f.entropy, weights);
    pass.hits += Math.round(weighted(f.greedyHit, perToken(m, b, b.mask))); // a count of 0s and 1s: exact
    return loss;
  }

  /** {@code sum(values · weights)} (or the scalar itself) without recording a graph. */
  private static double weighted(NDArray values, NDArray weights) {
    NDArray v = values.stopGradient();
    return weights == null ? v.getFloat() : v.mul(weights).sum().getFloat();
  }

  /**
   * Teacher-forced log-probabilities of each row's next tokens (rows, width − 1) and the entropy of each
   * next-token distribution, in one forward pass in training mode; and the value head's output (rows, width)
   * when the batch has value targets, else null.
   */
  private record Forward(NDArray logp, NDArray entropy, NDArray greedyHit, NDArray values) {}

  private Forward forward(ParameterStore ps, NDManager m, TokenBatch b) {
    NDArray ids = b.ids(m);
    NDArray logits;
    NDArray values = null;
    if (b.hasValueTargets()) {
      LanguageModel.Heads heads = policy.logitsAndValues(ps, ids, b.attention(m), true);
      logits = heads.logits();
      values = heads.values();
    } else {
      logits = policy.logits(ps, ids, b.attention(m), true);
    }
    NDArray predicting = logits.get(new NDIndex(":, :{}, :", b.width - 1));
    if (!b.atTemperatureOne()) {
      predicting = predicting.div(b.temperatureCells(m));
    }
    return scores(predicting, ids.get(new NDIndex(":, 1:")).expandDims(2), values);
  }

  /**
   * {@link #forward} at the batch's trained cells only ({@link TokenBatch#trainedCells}): the vocabulary head and the
   * log-softmax run at those N positions, and the per-token results are (1, N), to be combined with
   * {@link TokenBatch#trained} arrays. The same numbers as {@code forward} at those cells (and the same value head
   * output): every loss term reads the other cells only through a zero mask or weight.
   */
  private Forward trainedForward(ParameterStore ps, NDManager m, TokenBatch b) {
    LanguageModel.Heads heads = policy.logitsAt(ps, b.ids(m), b.attention(m), b.trainedPositions(m),
        b.hasValueTargets(), true);
    NDArray predicting = heads.logits();
    if (!b.atTemperatureOne()) {
      predicting = predicting.div(perToken(m, b, b.temperatures).expandDims(2));
    }
    return scores(predicting, b.trainedTargets(m), heads.values());
  }

  /** The forward pass of the losses: {@link #trainedForward}, or {@link #forward} in the full-head mode of tests. */
  private Forward lossForward(ParameterStore ps, NDManager m, TokenBatch b) {
    return fullHead ? forward(ps, m, b) : trainedForward(ps, m, b);
  }

  /** A per-token array laid out as {@link #lossForward}'s results are. */
  private NDArray perToken(NDManager m, TokenBatch b, float[] values) {
    return fullHead ? b.cells(m, values) : b.trained(m, values);
  }

  /**
   * For tests: compute the losses' log-probabilities from the vocabulary head at every cell of the padded batch (the
   * former computation) instead of at the trained cells only.
   */
  void computeFullHead(boolean full) {
    fullHead = full;
  }

  /** Log-probabilities of {@code targets} (…, 1), entropies and greedy hits from {@code predicting} logits (…, V). */
  private static Forward scores(NDArray predicting, NDArray targets, NDArray values) {
    NDArray logAll = predicting.logSoftmax(-1);
    NDArray logp = logAll.gather(targets, 2).squeeze(2);
    NDArray entropy = logAll.exp().mul(logAll).sum(new int[] {2}).neg();
    NDArray greedyHit = logp.stopGradient().gte(logAll.stopGradient().max(new int[] {2})).toType(DataType.FLOAT32,
        false);
    return new Forward(logp, entropy, greedyHit, values);
  }

  /** The current gradient of every trained parameter, for tests: {@code [parameter][value]}. */
  float[][] gradients() {
    List<Parameter> params = optimizer.parameters();
    float[][] out = new float[params.size()][];
    for (int i = 0; i < out.length; i++) {
      try (NDArray g = params.get(i).getArray().getGradient()) {
        out[i] = g.toFloatArray();
      }
    }
    return out;
  }

  AdamW optimizer() {
    return optimizer;
  }

  void zeroGradients() {
    OptimizerStep.zeroGradients(optimizer);
  }

  private void count(OptimizerStep.Result step, int samples, long tokens) {
    if (step.applied()) {
      samplesSeen += samples;
      tokensSeen += tokens;
    }
  }

  private void checkFits(List<PackedSample> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("the batch is empty");
    }
    int context = policy.spec().context();
    int vocab = policy.spec().vocabSize();
    for (int i = 0; i < rows.size(); i++) {
      int[] ids = rows.get(i).ids();
      if (ids.length > context) {
        throw new IllegalArgumentException((rows.get(i).turns().size() == 1 ? "sample " + i + " has " + ids.length
            + " tokens (prompt plus output)" : "packed row " + i + " has " + ids.length + " tokens")
            + ", more than the model's context of " + context);
      }
      for (int id : ids) {
        if (id >= vocab) {
          throw new IllegalArgumentException("sample " + i + " has token id " + id + ", outside the model's "
              + "vocabulary of " + vocab);
        }
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the learner is closed");
    }
  }
}
