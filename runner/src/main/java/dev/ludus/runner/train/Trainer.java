package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.TokenTrace;
import dev.ludus.runner.cluster.PolicyPublisher;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.StateValues;
import dev.ludus.runner.learn.advantage.AdvantageEstimator;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.metrics.ProcessCpu;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.tensorboard.TrainingScalars;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The training loop of {@code ludus train}. Each iteration plays {@code tasksPerIteration × groupSize}
 * episodes with the current policy (a {@link DjlLmAgent#sharing} agent over the learner's model) through the
 * {@link EpisodeRuntime}, scored by the shaping pipeline one group at a time; the advantage estimator turns
 * the groups into per-token advantages; every agent turn's {@link TokenTrace} (never re-tokenized text)
 * becomes a {@link Sample}; and {@link PolicyLearner#update} takes one step. The loop is synchronous: the
 * rollouts of an iteration use the weights of the update before, so every sample's staleness is 0.
 *
 * <p>Pipelined ({@link TrainConfig#maxStaleness()} {@code k > 0}): iteration {@code i + 1}'s rollouts start
 * as soon as iteration {@code i}'s episodes are in, and keep generating with whatever weights the model has
 * while the learner updates on iteration {@code i} (an update holds the model's lock only for the optimizer
 * step), so a sample may lag the policy it trains by some versions; the importance ratio on its recorded
 * behaviour log-probabilities corrects for that, and samples more than {@code k} versions behind are dropped
 * and counted ({@code staleness.dropped} in the metrics). Staleness is measured when the
 * iteration's updates begin; the {@code epochs × miniBatches} updates that then reuse the same samples are
 * PPO's sample reuse, corrected by the importance ratio on the recorded behaviour log-probabilities and kept
 * near it by the clip. Turns whose advantages are
 * all zero (e.g. a group whose episodes all scored the same under GRPO) carry no policy gradient and are
 * skipped.
 *
 * <p>With an estimator that needs a critic ({@code ppo-gae}), the policy has a value head (the model config's
 * {@code valueHead} is turned on), each iteration first computes the value of every turn's state with the
 * current weights ({@link StateValues}), the estimator turns them into advantages and value targets, and each
 * sample carries its turn's target and old value, so that the update also trains the critic (no turn is
 * skipped then: a zero advantage still has a value target).
 *
 * <p>Before the loop, an optional warm start: the oracle plays {@code warmStartEpisodes} episodes, its turns
 * become demonstrations (see {@link TeacherAgent}), and {@link PolicyLearner#imitate} steps on them until their
 * token accuracy reaches {@code warmStartAccuracy} or {@code warmStartSteps} steps were taken ({@link WarmStart}
 * says what it reached). With a KL coefficient above 0, the policy as the warm start left it is frozen
 * ({@link TrainablePolicy#frozenCopy}) as the learner's reference, saved in every checkpoint and loaded on a
 * resume. The learner trains the agent's {@link DjlLmAgent#trainable()} view, and each sample carries the
 * sampling temperature, so that the learner scores the distribution the sampler drew from. With dynamic sampling
 * ({@link TrainConfig.DynamicSampling}) groups without a signal are dropped and more tasks are played. The policy
 * is evaluated on held-out seeds (seeds the training iterations never use) before anything, after the warm start
 * and at the end. In a multi-agent environment with {@code selfPlay: frozen-partner} the policy plays one seat against
 * a frozen copy of itself as RL starts ({@link FrozenPartner}), in training and in every evaluation after the warm
 * start, and only its seat's episodes are trained.
 *
 * <p>The run directory gets {@code config.yaml} (the resolved configuration), {@code episodes.jsonl} (every
 * training episode, scored), {@code metrics.jsonl} (one line per update: {@link IterationMetrics}), the same
 * scalars as TensorBoard event files in {@code tb/} ({@link TrainingScalars}), {@code evaluations.jsonl}
 * ({@link EvaluationMetrics}), and {@code checkpoints/step-NNNNNN} ({@link PolicyLearner#save}, named by the optimizer step) every
 * {@code checkpointEvery} iterations, at the end of an iteration once {@code checkpointEveryMinutes} have passed
 * since the last one (and after a warm start that took that long), and at the end. Not thread-safe: one run per
 * instance.
 *
 * <p>Design. This class only orders the phases of a run; each job has its own package-private type:
 * {@link Resolved} binds the configuration to the plugins, {@link TrainingFiles} lays out the files (and trims them
 * for a resume), {@link Rollouts} plays episodes, {@link HeldOutEvaluation} evaluates, {@link WarmStarter} imitates
 * the oracle, {@link ReferencePolicy} holds the frozen KL anchor, {@link TrainingLoop} runs the iterations
 * ({@link GroupSampler} for dynamic sampling, {@link PolicyGradientStep} and {@link SampleBuilder} for advantages,
 * samples and updates), {@link MetricsLog} writes the {@link IterationMetrics}, and {@link Checkpoints} saves and
 * finds checkpoints; {@link Resources} closes what a run opened, in reverse order.
 */
public final class Trainer {
  /**
   * What a run gave.
   *
   * @param runDirectory where it wrote
   * @param successBefore held-out success before any training
   * @param successAfterWarmStart held-out success after the warm start (equal to before without one)
   * @param successAfter held-out success at the end
   * @param updates RL updates (optimizer steps) taken, imitation steps not included
   * @param seconds wall time of the whole run
   * @param timings where that wall time went
   * @param warmStart what the warm start reached, or null without one (or on a resume)
   */
  public record Result(Path runDirectory, double successBefore, double successAfterWarmStart, double successAfter,
      int updates, double seconds, Timings timings, WarmStart warmStart) {}

  /**
   * What the warm start reached on its demonstrations (the figures of its last step, before that step).
   *
   * @param demonstrations oracle turns imitated
   * @param steps imitation steps taken
   * @param loss the mean negative log-likelihood of the target tokens, nats per token
   * @param tokenAccuracy the share of target tokens that were the policy's most likely token
   * @param entropy the mean entropy of the policy's next-token distribution at target positions, nats
   */
  public record WarmStart(int demonstrations, int steps, double loss, double tokenAccuracy, double entropy) {}

  /**
   * Where a run's wall time went, in seconds. The parts follow one another, except scoring: the shaping
   * pipeline scores each group on an event loop as soon as it completes, inside the rollout, so
   * {@code scoring} is also part of {@code rollout}; {@link #rolloutWithoutScoring()} takes it out.
   *
   * @param rollout waiting for the training iterations' rollouts (generation, environments, runtime, scoring;
   *     pipelined, only what the updates did not hide)
   * @param scoring the summed wall time of the shaping pipeline's calls during the training rollouts
   * @param update advantages, samples and learner updates of every iteration
   * @param evaluation the held-out evaluations
   * @param warmStart the warm start's oracle episodes and imitation steps
   * @param total the whole run ({@link Result#seconds()})
   */
  public record Timings(double rollout, double scoring, double update, double evaluation, double warmStart,
      double total) {
    /** The rollouts' wait without the scoring inside it (0 if pipelined scoring hid behind the updates). */
    public double rolloutWithoutScoring() {
      return Math.max(0, rollout - scoring);
    }

    /** What the named parts leave: set-up, checkpoints, metrics and progress lines. */
    public double other() {
      return Math.max(0, total - rollout - update - evaluation - warmStart);
    }
  }

  /**
   * What dynamic sampling did in one iteration (all zero but {@code rounds = 1} and {@code groupsKept} when off).
   *
   * @param enabled whether it was on
   * @param rounds rounds of rollouts played, the first included
   * @param groupsPlayed groups played in those rounds
   * @param groupsKept groups trained on
   * @param groupsDropped groups without a signal (every advantage 0), left out
   */
  public record SamplingStats(boolean enabled, int rounds, int groupsPlayed, int groupsKept, int groupsDropped) {}

  private final Registry registry;
  private final TrainConfig config;
  private final String device;
  private final PrintWriter out;
  private final EpisodeListener trainingEpisodes;
  /** Cluster mode ({@code train --cluster}): publishes each iteration's policy and leases its episodes; or null. */
  private PolicyPublisher cluster;

  /**
   * @param device overrides the model's device when not null ({@code auto}, {@code cpu}, {@code gpu})
   * @param out where progress lines go
   */
  public Trainer(Registry registry, TrainConfig config, String device, PrintWriter out) {
    this(registry, config, device, out, EpisodeListener.none());
  }

  /**
   * @param trainingEpisodes told of every training episode once it is scored and stored (a live progress
   *     bar); not of the warm start's or the evaluations' episodes; if it is also a {@link LearnerListener}, told
   *     of every iteration's learner updates (live metrics)
   */
  public Trainer(Registry registry, TrainConfig config, String device, PrintWriter out,
      EpisodeListener trainingEpisodes) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.config = Objects.requireNonNull(config, "config");
    this.device = device;
    this.out = Objects.requireNonNull(out, "out");
    this.trainingEpisodes = Objects.requireNonNull(trainingEpisodes, "trainingEpisodes");
  }

  /** Runs the whole loop into {@code runDirectory} (created if missing; should be empty). */
  public Result run(Path runDirectory) throws InterruptedException {
    return withReport(execute(runDirectory, null));
  }

  /**
   * Continues the run in {@code runDirectory} from its newest checkpoint: the same weights, optimizer state
   * and counters, then the iterations that remain (each iteration's seeds depend only on its index, so the
   * continuation plays the tasks an uninterrupted run would have). The configuration should be the run's
   * own ({@code config.yaml}); a larger {@code iterations} extends the run. What the killed run wrote after the
   * checkpoint (episodes of later iterations in {@code episodes.jsonl}, their lines in {@code metrics.jsonl}, a torn
   * last line) is dropped first, and the replayed iterations write it again under the same episode ids, so the files
   * hold each update and each episode of the iterations that count once. Appends to {@code evaluations.jsonl} (its
   * {@code resume} line).
   */
  public Result resume(Path runDirectory) throws InterruptedException {
    Path checkpoint = latestCheckpoint(runDirectory).orElseThrow(() -> new ConfigException("train: " + runDirectory
        + " has no complete checkpoint under checkpoints/ to resume from"));
    return withReport(execute(runDirectory, checkpoint));
  }

  /** Writes the run's {@code report.html} once its files are closed. */
  private Result withReport(Result result) {
    out.println("report: " + Report.write(result.runDirectory()));
    out.flush();
    return result;
  }

  /** Runs with a runtime whose plugin context creates the environment, shapers and policy; closes both. */
  private Result execute(Path runDirectory, Path checkpoint) throws InterruptedException {
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, config.chatEndpoints())) {
      return execute(runDirectory, checkpoint, runtime);
    }
  }

  private Result execute(Path runDirectory, Path checkpoint, EpisodeRuntime runtime) throws InterruptedException {
    long started = System.nanoTime();
    long startedCpu = ProcessCpu.nanos(); // the JVM's start, the plugins' and the runtime's: before the clock
    LongAdder scoringNanos = new LongAdder();
    Resolved r = resolve(checkpoint, runtime.pluginContext());
    FrozenPartner.check(config, r.env(), cluster != null);
    boolean fresh = checkpoint == null;
    int firstIteration = fresh ? 0 : Checkpoints.nextIteration(checkpoint);
    TrainingFiles dir = TrainingFiles.prepare(runDirectory, fresh ? r.resolvedTree() : null);
    // the same ids as an uninterrupted run: a resume replaces what came after its checkpoint, never adds copies
    String runId = dir.runId();
    if (!fresh) {
      TrainingFiles.Dropped dropped = dir.dropAfter(firstIteration);
      if (dropped.episodes() > 0 || dropped.metricsLines() > 0) {
        out.printf(Locale.ROOT, "resume at iteration %d: dropped %d episodes and %d metrics lines written after the "
            + "checkpoint; those iterations play again%n", firstIteration, dropped.episodes(), dropped.metricsLines());
      }
    }
    LearnerConfig learnerConfig = config.learnerConfig();
    AdvantageEstimator estimator = AdvantageEstimators.of(config.estimator(), config.advantageConfig());
    DjlLmAgentProvider.Config preparedModel = TokenizerCorpus.prepare(r.modelConfig(), r.env(), runtime, out);
    try (Resources open = new Resources()) {
      DjlLmAgent policy = open.add(r.createPolicy(preparedModel, runtime.pluginContext()));
      EpisodeStore store = open.add(EpisodeStore.open(dir.episodes()));
      MetricsLog metrics = open.add(MetricsLog.open(dir));
      Rollouts rollouts = new Rollouts(config, runtime, r, store, trainingEpisodes, scoringNanos, cluster,
          preparedModel);
      HeldOutEvaluation evaluations = open.add(HeldOutEvaluation.open(config, rollouts, dir.evaluations()));
      TrainablePolicy trainable = policy.trainable();
      ReferencePolicy reference = open.add(ReferencePolicy.load(checkpoint, trainable));
      PolicyLearner learner = open.add(fresh ? new PolicyLearner(trainable, null, learnerConfig)
          : PolicyLearner.resume(checkpoint, trainable, reference.model(), learnerConfig));
      DjlLmAgent evaluator = open.add(DjlLmAgent.sharing(policy.model(), policy.tokenizer(),
          r.modelConfig().withSampling(config.evalTemperature(), 0, 1.0)));

      long setUpCpu = ProcessCpu.nanos() - startedCpu; // the tokenizer, the model, the files
      String what = fresh ? "before training" : "at resume (" + checkpoint.getFileName() + ")";
      if (!fresh) {
        FrozenPartner.start(config, r.env(), policy, checkpoint, rollouts, open, out);
      }
      double before = evaluations.evaluate(evaluator, runId + "-eval-before", fresh ? "before" : "resume", null);
      out.printf(Locale.ROOT, "held-out success %s: %.3f (%d episodes, %s; %s)%n", what, before,
          config.evalEpisodes(), config.evalTemperature() == 0 ? "greedy" : "temperature " + config.evalTemperature(),
          evaluations.lastTime());
      out.flush();
      Checkpoints checkpoints = new Checkpoints(dir.checkpoints(), learner, policy.tokenizer(),
          policy.config().historyWindow(), config, started);
      double afterWarm = before;
      WarmStart warmStart = null;
      long warmStartNanos = 0;
      long warmStartCpu = 0;
      if (fresh && config.warmStartEpisodes() > 0) {
        long warmStarted = System.nanoTime();
        long warmCpu = ProcessCpu.nanos();
        warmStart = WarmStarter.run(config, r, rollouts, policy, learner, runId, out);
        warmStartNanos = System.nanoTime() - warmStarted;
        warmStartCpu = ProcessCpu.nanos() - warmCpu;
        out.printf(Locale.ROOT, "warm start: %.1f s wall, %.1f s CPU%n", warmStartNanos / 1e9, warmStartCpu / 1e9);
        // RL plays against the warm-started policy, frozen (Lewis et al. 2017), and so does this evaluation
        FrozenPartner.start(config, r.env(), policy, null, rollouts, open, out);
        afterWarm = evaluations.evaluate(evaluator, runId + "-eval-warm", "after-warm-start", warmStart);
        out.printf(Locale.ROOT, "held-out success after the warm start: %.3f (%s)%n", afterWarm,
            evaluations.lastTime());
        out.flush();
      }
      FrozenPartner.start(config, r.env(), policy, checkpoint, rollouts, open, out);
      if ((learnerConfig.usesReference() || config.algorithm().needsReference()) && learner.reference() == null) {
        // the KL anchor: the policy as RL starts from it (after the warm start), frozen; saved with checkpoints
        learner.setReference(reference.freeze(trainable));
      }
      long checkpointCpu = ProcessCpu.nanos();
      if (fresh) {
        checkpoints.afterWarmStart();
      }
      checkpointCpu = ProcessCpu.nanos() - checkpointCpu;
      // DAgger: the oracle labels the states the policy reaches, where it can act from any state
      boolean dagger = learnerConfig.usesPtx() && learnerConfig.ptxLabels() > 0 && r.env().oracleActsFromAnyState()
          && r.env().oracle().isPresent();
      OracleLabels labels = dagger ? new OracleLabels(open.add(r.env().oracle().orElseThrow()), policy.tokenizer(),
          config.warmStartTarget().equals(TrainConfig.MESSAGE),
          learnerConfig.ptxLabelsFrom() == LearnerConfig.LabelSource.GREEDY_FAILURES ? evaluator : null) : null;
      TrainingLoop.Totals loop = new TrainingLoop(config, rollouts, estimator, learner, metrics, checkpoints,
          trainingEpisodes, scoringNanos, out, labels, config.validateEvery() > 0
          ? new ValidationSelection(config, rollouts, evaluator, trainable, out, Rollouts.validationPlays(r.env()),
          r.env().validation().isPresent()) : null).run(policy, runId,
          firstIteration,
          r.modelConfig().temperature());
      long lastCheckpoint = ProcessCpu.nanos();
      checkpoints.saveNow(Math.max(firstIteration, config.iterations()));
      checkpointCpu += ProcessCpu.nanos() - lastCheckpoint;
      double after = evaluations.evaluate(evaluator, runId + "-eval-after", "after", null);
      out.printf(Locale.ROOT, "held-out evaluation after training: %s%n", evaluations.lastTime());
      double seconds = (System.nanoTime() - started) / 1e9;
      phases(startedCpu, setUpCpu, evaluations.cpuSeconds(), warmStartCpu, loop.cpu(), checkpointCpu, started,
          seconds);
      String warm = fresh && config.warmStartEpisodes() > 0
          ? String.format(Locale.ROOT, ", after warm start %.3f", afterWarm) : "";
      out.printf(Locale.ROOT, "held-out success: %s %.3f%s, after training %.3f (%d updates, %.1f s)%s%n"
          + "run directory: %s%n", fresh ? "before" : "at resume", before, warm, after, loop.updates(), seconds,
          rollouts.partner() == null ? "" : "; after the warm start and after training against the frozen partner",
          runDirectory);
      out.flush();
      Timings timings = new Timings(loop.rolloutSeconds(), scoringNanos.sum() / 1e9, loop.updateSeconds(),
          evaluations.seconds(), warmStartNanos / 1e9, seconds);
      return new Result(runDirectory, before, afterWarm, after, loop.updates(), seconds, timings, warmStart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + runDirectory + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code phases} line: where the process's CPU time went, in seconds, from the JVM's start to the end of the
   * training clock, and when the kept weights first validated at 1.000 (seconds into the training clock; a perfect
   * validation within the paired test's noise is not kept, so it does not count).
   */
  private void phases(long beforeClock, long setUp, double evaluations, long warmStart, TrainingLoop.Cpu loop,
      long checkpoints, long started, double seconds) {
    double total = ProcessCpu.nanos() / 1e9;
    double named = (beforeClock + setUp + warmStart + loop.rollouts() + loop.updates() + loop.validation()
        + checkpoints + loop.checkpoints()) / 1e9 + evaluations;
    out.printf(Locale.ROOT, "phases, CPU s: before the clock (JVM, plugins, runtime) %.1f, set-up (tokenizer, model) "
        + "%.1f, held-out evaluations %.1f, warm start %.1f, validation %.1f, rollouts %.1f, updates %.1f (DAgger's "
        + "labels %.1f of them), checkpoints %.1f, other %.1f; %.1f CPU s in all, %.1f s of training; %s%n",
        beforeClock / 1e9, setUp / 1e9, evaluations, warmStart / 1e9, loop.validation() / 1e9, loop.rollouts() / 1e9,
        loop.updates() / 1e9, loop.labels() / 1e9, (checkpoints + loop.checkpoints()) / 1e9, Math.max(0, total - named),
        total, seconds, loop.firstPerfect() < 0 ? "no kept weights validated at 1.000" : String.format(Locale.ROOT,
            "the kept weights first validated at 1.000 %.1f s into training", (loop.firstPerfect() - started) / 1e9));
    out.flush();
  }

  /** The configuration bound to the registry's plugins, with a minimal plugin context. */
  Resolved resolve() {
    return resolve(null, PluginContext.minimal());
  }

  /**
   * Checks the whole configuration (environment, model, shaping, estimator, warm start) without building
   * anything, so that bad input fails before a run directory is created.
   */
  public void validate() {
    try (PluginContext.Owned context = PluginContext.standalone(registry, config.chatEndpoints())) {
      Resolved r = resolve(null, context);
      FrozenPartner.check(config, r.env(), cluster != null);
      if (config.validateEvery() > 0) {
        out.println("# validation (model selection every " + config.validateEvery() + " iterations) plays "
            + Rollouts.validationPlays(r.env()));
        out.flush();
      }
    }
  }

  /** The configuration bound to the registry's plugins, the environment and shapers made with {@code context}. */
  Resolved resolve(Path checkpoint, PluginContext context) {
    Resolved r = Resolved.of(registry, config, device, checkpoint, context);
    if (config.validateEvery() > 0) {
      r.env().validation().ifPresent(BoundEnvironment::probe); // a validation split with no question fails now
    }
    return r;
  }

  /**
   * Cluster mode: each iteration's policy is published under {@code policy/} in the run directory and its episodes
   * leased to the cluster's workers (see {@link PolicyPublisher}); the caller closes it.
   */
  public Trainer onCluster(PolicyPublisher publisher) {
    this.cluster = publisher;
    return this;
  }

  /**
   * Episodes grouped by task (and by seat in a multi-agent environment), in order of first appearance: the groups
   * the estimators compare.
   */
  public static List<List<Episode>> groups(List<Episode> episodes) {
    Map<String, List<Episode>> byTask = new LinkedHashMap<>();
    for (Episode e : episodes) {
      // in a multi-agent environment each seat's episodes form their own groups: seats are compared with their
      // own kind, never with the other side of the same match
      String key = e.seat() == null ? e.task().id() : e.task().id() + "\u0000" + e.seat();
      byTask.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
    }
    return new ArrayList<>(byTask.values());
  }

  /** The iteration a {@link #resume} of {@code runDirectory} starts at; 0 when it has no checkpoint. */
  public static int resumeIteration(Path runDirectory) {
    return latestCheckpoint(runDirectory).map(Checkpoints::nextIteration).orElse(0);
  }

  /** The newest complete checkpoint under {@code runDirectory/checkpoints}, if any. */
  public static Optional<Path> latestCheckpoint(Path runDirectory) {
    return Checkpoints.latest(runDirectory);
  }
}
