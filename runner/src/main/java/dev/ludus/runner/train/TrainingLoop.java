package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.api.Episode;
import dev.ludus.api.Seeds;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.advantage.AdvantageEstimator;
import dev.ludus.runner.metrics.ProcessCpu;
import dev.ludus.runner.runtime.EpisodeListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The RL iterations of a run. Each iteration awaits its rollouts ({@link Rollouts#iteration}), lets
 * {@link GroupSampler} pick the groups, with DAgger has the oracle label the states the policy reached (its greedy
 * failures or its sampled episodes: {@link OracleLabels}, added to the learner's PPO-ptx set before the updates), learns from them ({@link PolicyGradientStep}, or {@link PreferenceTraining}
 * for {@code dpo|ipo|raft}), with {@code learner.daggerSteps} takes DAgger's imitation steps on the aggregate of
 * demonstrations and labels ({@link #aggregate}), writes its {@link IterationMetrics} and progress line, and
 * checkpoints on schedule.
 * With model selection and {@code stopAtPerfectValidation} (the recipe's), RL stops at the first validation that is
 * perfect ({@link ValidationSelection#atCeiling}: no later weights could be kept, so the rest would change nothing the
 * run ends with) and says so; with DAgger on the
 * greedy policy's failures, once its greedy episodes have failed no training task for {@value #CLEAN_ITERATIONS}
 * iterations in a row, the policy is also validated off schedule, and RL stops there if that validation is perfect
 * (one that is not is not offered to the selection).
 * Synchronous, iteration {@code i + 1}'s rollouts start after iteration {@code i}'s updates (and validation); pipelined
 * ({@code maxStaleness > 0}), as soon as iteration {@code i}'s episodes are in, so they generate with whatever
 * weights the model has while the learner updates. Measures the wall and CPU time spent waiting and updating. Not
 * thread-safe: one loop per run.
 */
final class TrainingLoop {
  /**
   * What the loop did.
   *
   * @param updates the learner's updates
   * @param rolloutSeconds the wall time spent waiting for rollouts
   * @param updateSeconds the wall time of advantages, samples and updates
   */
  record Totals(int updates, double rolloutSeconds, double updateSeconds, Cpu cpu) {}

  /**
   * Where the loop's process CPU time went, in nanoseconds (the phases of {@code train.log}'s {@code phases} line).
   *
   * @param rollouts waiting for rollouts (pipelined, only what the updates did not hide)
   * @param updates advantages, samples, DAgger's labels and the learner's updates
   * @param labels DAgger's labels, a part of {@code updates}
   * @param validation the model selection's validations
   * @param checkpoints writing checkpoints
   * @param firstPerfect {@link System#nanoTime()} when the kept weights first validated at 1.000, or -1 if
   *     none did
   */
  record Cpu(long rollouts, long updates, long labels, long validation, long checkpoints, long firstPerfect) {}

  /**
   * Iterations in a row whose greedy labelling episodes (DAgger) all succeeded, after which the policy is validated
   * off schedule: if that validation is perfect, RL stops there.
   */
  static final int CLEAN_ITERATIONS = 3;

  /** Added to the run's seed for the draws of DAgger's aggregate steps ({@link #aggregate}). */
  static final long AGGREGATE_SEED_OFFSET = 77;

  private final TrainConfig config;
  private final Rollouts rollouts;
  private final GroupSampler sampler;
  private final AdvantageEstimator estimator;
  private final PolicyLearner learner;
  private final MetricsLog metrics;
  private final Checkpoints checkpoints;
  private final EpisodeListener trainingEpisodes;
  private final LongAdder scoringNanos;
  private final PrintWriter out;
  private final OracleLabels labels;
  private final ValidationSelection selection;

  /**
   * @param trainingEpisodes if it is also a {@link LearnerListener}, told of every iteration's learner updates
   * @param scoringNanos the shaping pipeline's summed wall time, which the rollouts add to
   * @param labels labels each iteration's off-path turns for the learner's PPO-ptx set (DAgger), or null for none
   * @param selection validates the policy before RL and on schedule and puts the best weights back at the end
   *     ({@code validateEvery}), or null for none
   */
  TrainingLoop(TrainConfig config, Rollouts rollouts, AdvantageEstimator estimator, PolicyLearner learner,
      MetricsLog metrics, Checkpoints checkpoints, EpisodeListener trainingEpisodes, LongAdder scoringNanos,
      PrintWriter out, OracleLabels labels, ValidationSelection selection) {
    this.labels = labels;
    this.selection = selection;
    this.config = config;
    this.rollouts = rollouts;
    this.sampler = new GroupSampler(config, rollouts, estimator);
    this.estimator = estimator;
    this.learner = learner;
    this.metrics = metrics;
    this.checkpoints = checkpoints;
    this.trainingEpisodes = trainingEpisodes;
    this.scoringNanos = scoringNanos;
    this.out = out;
  }

  /** Runs iterations {@code first} to {@code iterations - 1} with {@code policy}. */
  Totals run(DjlLmAgent policy, String runId, int first, double samplingTemperature)
      throws InterruptedException, IOException {
    int updates = 0;
    double rolloutSeconds = 0;
    double updateSeconds = 0;
    long scoredBefore = scoringNanos.sum();
    boolean pipelined = config.maxStaleness() > 0;
    long loopStarted = System.nanoTime();
    long loopCpuStarted = ProcessCpu.nanos();
    // the process's CPU time while waiting for rollouts and while updating (pipelined, the next iteration's
    // rollouts run during the updates and count there); comparable across runs on a shared machine, wall time not
    long rolloutCpuNanos = 0;
    long updateCpuNanos = 0;
    // of the updates' share: DAgger's greedy episodes and the oracle's answers (the labels' cost, issue 19)
    long labelNanos = 0;
    long labelCpuNanos = 0;
    long validationCpuNanos = 0;
    long checkpointCpuNanos = 0;
    long firstPerfect = -1;
    if (selection != null && first == 0) {
      long validationStart = ProcessCpu.nanos();
      selection.validate(runId, 0); // the weights RL starts from (the warm start's)
      validationCpuNanos += ProcessCpu.nanos() - validationStart;
      firstPerfect = selection.atCeiling() ? System.nanoTime() : -1;
    }
    boolean stopping = selection != null && config.stopAtPerfectValidation();
    int end = stopping && first == 0 && selection.atCeiling() ? stop(0) : config.iterations();
    CompletableFuture<List<Episode>> next = first < end ? rollouts.iteration(policy, runId, first) : null;
    // iterations in a row whose greedy labelling episodes all succeeded (DAgger's greedy failures, none)
    int clean = 0;
    boolean greedyLabels = learner.config().ptxLabelsFrom() == LearnerConfig.LabelSource.GREEDY_FAILURES;
    for (int it = first; it < end; it++) {
      long waitStart = System.nanoTime();
      long cpuBefore = ProcessCpu.nanos();
      Played played = sampler.select(Rollouts.await(next), policy, runId, it);
      double waited = (System.nanoTime() - waitStart) / 1e9;
      long cpuAfterWait = ProcessCpu.nanos();
      rolloutCpuNanos += cpuAfterWait - cpuBefore;
      // each rollout starts after the previous one was awaited, so this is exactly iteration it's scoring
      double scored = (scoringNanos.sum() - scoredBefore) / 1e9;
      scoredBefore = scoringNanos.sum();
      boolean more = it + 1 < end;
      next = pipelined && more ? rollouts.iteration(policy, runId, it + 1) : null;
      if (labels != null) {
        long labelStart = System.nanoTime();
        long labelCpuStart = ProcessCpu.nanos();
        OracleLabels.Labelled fresh = labels.iteration(rollouts::unscored, config, played.episodes(), runId, it);
        clean = cleanStreak(clean, greedyLabels, fresh);
        int held = learner.addLabels(fresh.labels());
        double labelSeconds = (System.nanoTime() - labelStart) / 1e9;
        labelNanos += System.nanoTime() - labelStart;
        labelCpuNanos += ProcessCpu.nanos() - labelCpuStart;
        out.printf(Locale.ROOT, "oracle labels: %d off-path turns of %d episodes labelled (of %d %s), %d held "
            + "(DAgger), %.1f s%n", fresh.labels().size(), fresh.labelled(), fresh.episodes(),
            learner.config().ptxLabelsFrom() == LearnerConfig.LabelSource.SAMPLED ? "sampled" : "greedy; the failed",
            held, labelSeconds);
      }
      Iteration result = config.algorithm() != TrainConfig.Algorithm.PPO
          ? PreferenceTraining.learn(config, played, waited, scored, learner, it)
          : PolicyGradientStep.learn(config, played, waited, scored, estimator, learner, it, samplingTemperature);
      if (labels != null && learner.config().daggerSteps() > 0) {
        long aggregateCpuStart = ProcessCpu.nanos();
        aggregate(it);
        labelCpuNanos += ProcessCpu.nanos() - aggregateCpuStart;
      }
      updateCpuNanos += ProcessCpu.nanos() - cpuAfterWait;
      if (trainingEpisodes instanceof LearnerListener live && !result.updates().isEmpty()) {
        live.onLearnerStep(result.updateSeconds(), result.trainedTokens());
      }
      metrics.write(it, result);
      out.println(result.progressLine(it, config.iterations()));
      out.flush();
      updates += result.updates().size();
      rolloutSeconds += result.rolloutSeconds();
      updateSeconds += result.updateSeconds();
      boolean due = selection != null && selection.due(it);
      long validationStart = ProcessCpu.nanos();
      if (due) {
        selection.validate(runId, it + 1);
      } else if (stopping && more && clean >= CLEAN_ITERATIONS) {
        clean = 0;
        selection.probeCeiling(runId, it + 1);
      }
      validationCpuNanos += ProcessCpu.nanos() - validationStart;
      if (firstPerfect < 0 && selection != null && selection.atCeiling()) {
        firstPerfect = System.nanoTime();
      }
      if (stopping && more && selection.atCeiling()) {
        end = stop(it + 1);
        more = false;
        if (next != null) {
          Rollouts.await(next); // pipelined: the next iteration's rollouts, already under way, are not trained
        }
      }
      if (!pipelined && more) {
        next = rollouts.iteration(policy, runId, it + 1);
      }
      long checkpointStart = ProcessCpu.nanos();
      checkpoints.afterIteration(it);
      checkpointCpuNanos += ProcessCpu.nanos() - checkpointStart;
    }
    if (selection != null) {
      selection.restoreBest();
    }
    if (first < end) {
      out.printf(Locale.ROOT, "training loop: %.1f s wall, %.1f s CPU (waiting for rollouts %.1f s wall, %.1f s "
          + "CPU; updates %.1f s wall, %.1f s CPU%s)%n", (System.nanoTime() - loopStarted) / 1e9,
          (ProcessCpu.nanos() - loopCpuStarted) / 1e9, rolloutSeconds, rolloutCpuNanos / 1e9, updateSeconds,
          updateCpuNanos / 1e9, labels == null ? "" : String.format(Locale.ROOT,
              "; DAgger's labels %.1f s wall, %.1f s CPU, in the updates' CPU", labelNanos / 1e9, labelCpuNanos / 1e9));
      out.println("generation: " + policy.generationStatistics().summary());
    }
    return new Totals(updates, rolloutSeconds, updateSeconds, new Cpu(rolloutCpuNanos, updateCpuNanos, labelCpuNanos,
        validationCpuNanos, checkpointCpuNanos, firstPerfect));
  }

  /**
   * DAgger's retraining on the aggregate after iteration {@code it}'s RL updates: {@code learner.daggerSteps}
   * imitation steps, each on a draw of {@code warmStartBatch} from the demonstrations and labels pooled
   * ({@link PolicyLearner#imitateAggregate}), from a seed of the run's and the iteration's; says what they did.
   */
  private void aggregate(int it) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(config.seed() + AGGREGATE_SEED_OFFSET, it));
    ImitationStats first = null;
    ImitationStats last = null;
    int steps = learner.config().daggerSteps();
    for (int k = 0; k < steps; k++) {
      last = learner.imitateAggregate(config.warmStartBatch(), rng);
      first = first == null ? last : first;
    }
    if (last != null) {
      out.printf(Locale.ROOT, "DAgger's aggregate: %d imitation steps on draws from %d demonstrations and %d labels, "
          + "loss %.4f -> %.4f, token accuracy %.3f -> %.3f%n", steps, learner.demonstrations().size(),
          learner.labels().size(), first.loss(), last.loss(), first.tokenAccuracy(), last.tokenAccuracy());
    }
  }

  /**
   * The iterations in a row whose greedy labelling episodes all succeeded, {@code streak} before this one's labels:
   * one more when DAgger played greedy episodes ({@code greedyLabels}) and none of them failed, else 0.
   */
  static int cleanStreak(int streak, boolean greedyLabels, OracleLabels.Labelled fresh) {
    return greedyLabels && fresh.episodes() > 0 && fresh.labelled() == 0 ? streak + 1 : 0;
  }

  /**
   * Stops RL after {@code iterations} of the configured ones: the validation is at its ceiling
   * ({@link ValidationSelection#atCeiling}), so the run ends with the weights it has now whatever RL does next.
   */
  private int stop(int iterations) {
    out.printf(Locale.ROOT, "RL stops after %d of %d iterations: validation is perfect (1.000), and a tie keeps the "
        + "earlier weights, so no later weights could be kept%n", iterations, config.iterations());
    out.flush();
    return iterations;
  }

}
