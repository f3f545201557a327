package dev.ludus.runner.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.Seeds;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.LearnerCheckpoint;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.PackedSample;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.StateValues;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageBatch;
import dev.ludus.runner.learn.advantage.AdvantageEstimator;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.learn.advantage.AdvantageStats;
import dev.ludus.runner.learn.advantage.TokenAdvantages;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.runtime.Scorer;
import dev.ludus.runner.shaping.ShapingFactory;
import dev.ludus.runner.shaping.ShapingSpec;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.tensorboard.TrainingScalars;
import dev.ludus.shaping.ShapingPipeline;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

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
 * and at the end.
 *
 * <p>The run directory gets {@code config.yaml} (the resolved configuration), {@code episodes.jsonl} (every
 * training episode, scored), {@code metrics.jsonl} (one line per update; see {@link #metricsLine}), the same
 * scalars as TensorBoard event files in {@code tb/} ({@link TrainingScalars}), {@code evaluations.jsonl}, and
 * {@code checkpoints/step-NNNNNN} ({@link PolicyLearner#save}, named by the optimizer step) every
 * {@code checkpointEvery} iterations, at the end of an iteration once {@code checkpointEveryMinutes} have passed
 * since the last one (and after a warm start that took that long), and at the end. Not thread-safe: one run per
 * instance.
 */
public final class Trainer {
  /** Seeds of the held-out evaluations live far from the training iterations' seeds. */
  static final long EVAL_SEED_OFFSET = 1_000_003L;

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

  private final Registry registry;
  private final TrainConfig config;
  private final String device;
  private final PrintWriter out;
  private final EpisodeListener trainingEpisodes;
  /** Wall time of the run in progress: scoring (added from event loops), evaluations, warm start. */
  private final LongAdder scoringNanos = new LongAdder();
  private long evaluationNanos;
  private long warmStartNanos;
  private WarmStart warmStartResult;
  /** Cluster mode ({@code train --cluster}): publishes each iteration's policy and leases its episodes; or null. */
  private dev.ludus.runner.cluster.PolicyPublisher cluster;
  /** The policy's configuration as the run built it (the tokenizer prepared), for the workers' agents. */
  private DjlLmAgentProvider.Config preparedModel;

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
    scoringNanos.reset();
    evaluationNanos = 0;
    warmStartNanos = 0;
    warmStartResult = null;
    Resolved r = resolve(checkpoint, runtime.pluginContext());
    int firstIteration = checkpoint == null ? 0 : readNextIteration(checkpoint);
    try {
      Files.createDirectories(runDirectory);
      if (checkpoint == null) {
        Json.YAML.writeValue(runDirectory.resolve("config.yaml").toFile(), r.resolvedTree());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run directory " + runDirectory + ": " + e.getMessage(), e);
    }
    // the same ids as an uninterrupted run: a resume replaces what came after its checkpoint, never adds copies
    String runId = runDirectory.getFileName().toString();
    if (checkpoint != null) {
      long[] dropped = dropAfter(runDirectory, firstIteration);
      if (dropped[0] > 0 || dropped[1] > 0) {
        out.printf(Locale.ROOT, "resume at iteration %d: dropped %d episodes and %d metrics lines written after the "
            + "checkpoint; those iterations play again%n", firstIteration, dropped[0], dropped[1]);
      }
    }
    LearnerConfig learnerConfig = config.learnerConfig();
    AdvantageEstimator estimator = AdvantageEstimators.of(config.estimator(), config.advantageConfig());
    preparedModel = TokenizerCorpus.prepare(r.modelConfig(), r.env(), runtime, out);
    try (Agent ownerAgent = r.modelProvider().create(preparedModel, r.env(), runtime.pluginContext());
        EpisodeStore store = EpisodeStore.open(runDirectory.resolve("episodes.jsonl"));
        BufferedWriter metrics = Files.newBufferedWriter(runDirectory.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        TrainingScalars scalars = TrainingScalars.open(runDirectory);
        BufferedWriter evals = Files.newBufferedWriter(runDirectory.resolve("evaluations.jsonl"),
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      DjlLmAgent policy = (DjlLmAgent) ownerAgent;
      TrainablePolicy trainable = policy.trainable();
      DjlLmAgentProvider.Config evalConfig = r.modelConfig().withSampling(config.evalTemperature(), 0, 1.0);
      try (Reference reference = new Reference(checkpoint == null ? null
              : LearnerCheckpoint.loadReference(checkpoint, trainable).orElse(null));
          PolicyLearner learner = checkpoint == null ? new PolicyLearner(trainable, null, learnerConfig)
              : PolicyLearner.resume(checkpoint, trainable, reference.model, learnerConfig);
          DjlLmAgent evaluator = DjlLmAgent.sharing(policy.model(), policy.tokenizer(), evalConfig)) {
        String what = checkpoint == null ? "before training" : "at resume (" + checkpoint.getFileName() + ")";
        double before = evaluate(runtime, r, evaluator, runId + "-eval-before", evals,
            checkpoint == null ? "before" : "resume");
        out.printf(Locale.ROOT, "held-out success %s: %.3f (%d episodes, %s)%n", what, before,
            config.evalEpisodes(), config.evalTemperature() == 0 ? "greedy" : "temperature " + config.evalTemperature());
        out.flush();
        double afterWarm = before;
        if (checkpoint == null && config.warmStartEpisodes() > 0) {
          long warmStarted = System.nanoTime();
          warmStart(runtime, r, policy, learner, runId);
          warmStartNanos = System.nanoTime() - warmStarted;
          afterWarm = evaluate(runtime, r, evaluator, runId + "-eval-warm", evals, "after-warm-start");
          out.printf(Locale.ROOT, "held-out success after the warm start: %.3f%n", afterWarm);
          out.flush();
        }
        if ((learnerConfig.usesReference() || config.algorithm().needsReference()) && learner.reference() == null) {
          // the KL anchor: the policy as RL starts from it (after the warm start), frozen; saved with checkpoints
          reference.model = trainable.frozenCopy();
          learner.setReference(reference.model);
        }
        Path checkpoints = runDirectory.resolve("checkpoints");
        long lastCheckpoint = started;
        if (checkpoint == null && config.warmStartEpisodes() > 0 && config.checkpointEveryMinutes() > 0
            && minutesSince(started) >= config.checkpointEveryMinutes()) {
          // a long warm start is work a kill should not take: a resume then starts RL at iteration 0 without it
          checkpoint(learner, policy.tokenizer(), checkpoints, 0);
          lastCheckpoint = System.nanoTime();
        }
        int updates = 0;
        double rolloutSeconds = 0;
        double updateSeconds = 0;
        long scoredBefore = scoringNanos.sum();
        boolean pipelined = config.maxStaleness() > 0;
        long loopStarted = System.nanoTime();
        long loopCpuStarted = processCpuNanos();
        // the process's CPU time while waiting for rollouts and while updating (pipelined, the next iteration's
        // rollouts run during the updates and count there); comparable across runs on a shared machine, wall time not
        long rolloutCpuNanos = 0;
        long updateCpuNanos = 0;
        CompletableFuture<List<Episode>> next = firstIteration < config.iterations()
            ? rollout(runtime, r, policy, runId, firstIteration, store) : null;
        for (int it = firstIteration; it < config.iterations(); it++) {
          long waitStart = System.nanoTime();
          long cpuBefore = processCpuNanos();
          Played played = filter(await(next), runtime, r, policy, runId, it, store, estimator);
          double waited = (System.nanoTime() - waitStart) / 1e9;
          long cpuAfterWait = processCpuNanos();
          rolloutCpuNanos += cpuAfterWait - cpuBefore;
          // each rollout starts after the previous one was awaited, so this is exactly iteration it's scoring
          double scored = (scoringNanos.sum() - scoredBefore) / 1e9;
          scoredBefore = scoringNanos.sum();
          boolean more = it + 1 < config.iterations();
          next = pipelined && more ? rollout(runtime, r, policy, runId, it + 1, store) : null;
          Iteration result = learn(played, waited, scored, estimator, learner, it, r.modelConfig().temperature());
          updateCpuNanos += processCpuNanos() - cpuAfterWait;
          if (trainingEpisodes instanceof LearnerListener live && !result.updates().isEmpty()) {
            live.onLearnerStep(result.updateSeconds(), result.updates().stream().mapToLong(UpdateStats::tokens).sum());
          }
          if (!pipelined && more) {
            next = rollout(runtime, r, policy, runId, it + 1, store);
          }
          if (result.updates().isEmpty()) {
            metrics.write(scalars.record(metricsLine(it, result, null)));
            metrics.newLine();
          }
          for (UpdateStats s : result.updates()) {
            metrics.write(scalars.record(metricsLine(it, result, s)));
            metrics.newLine();
          }
          metrics.flush();
          out.println(progressLine(it, result));
          out.flush();
          updates += result.updates().size();
          rolloutSeconds += result.rolloutSeconds();
          updateSeconds += result.updateSeconds();
          boolean byCount = config.checkpointEvery() > 0 && (it + 1) % config.checkpointEvery() == 0;
          boolean byTime = config.checkpointEveryMinutes() > 0
              && minutesSince(lastCheckpoint) >= config.checkpointEveryMinutes();
          if ((byCount || byTime) && more) {
            checkpoint(learner, policy.tokenizer(), checkpoints, it + 1);
            lastCheckpoint = System.nanoTime();
          }
        }
        if (firstIteration < config.iterations()) {
          out.printf(Locale.ROOT, "training loop: %.1f s wall, %.1f s CPU (waiting for rollouts %.1f s wall, %.1f s "
              + "CPU; updates %.1f s wall, %.1f s CPU)%n", (System.nanoTime() - loopStarted) / 1e9,
              (processCpuNanos() - loopCpuStarted) / 1e9, rolloutSeconds, rolloutCpuNanos / 1e9, updateSeconds,
              updateCpuNanos / 1e9);
          out.println("generation: " + policy.generationStatistics().summary());
        }
        checkpoint(learner, policy.tokenizer(), checkpoints, Math.max(firstIteration, config.iterations()));
        double after = evaluate(runtime, r, evaluator, runId + "-eval-after", evals, "after");
        double seconds = (System.nanoTime() - started) / 1e9;
        String warm = checkpoint == null && config.warmStartEpisodes() > 0
            ? String.format(Locale.ROOT, ", after warm start %.3f", afterWarm) : "";
        out.printf(Locale.ROOT, "held-out success: %s %.3f%s, after training %.3f (%d updates, %.1f s)%n"
            + "run directory: %s%n", checkpoint == null ? "before" : "at resume", before, warm, after, updates, seconds,
            runDirectory);
        out.flush();
        Timings timings = new Timings(rolloutSeconds, scoringNanos.sum() / 1e9, updateSeconds, evaluationNanos / 1e9,
            warmStartNanos / 1e9, seconds);
        return new Result(runDirectory, before, afterWarm, after, updates, seconds, timings, warmStartResult);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write into " + runDirectory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Saves a checkpoint named by the optimizer step, then its sidecar {@code step-N.json} (the next iteration),
   * written to a temporary file and renamed; a checkpoint counts only once its sidecar exists.
   */
  private static void checkpoint(PolicyLearner learner, LmTokenizer tokenizer, Path checkpoints, int nextIteration)
      throws IOException {
    Path dir = checkpoints.resolve(String.format(Locale.ROOT, "step-%06d", learner.steps()));
    learner.save(dir);
    tokenizer.save(dir.resolve(LearnerCheckpoint.POLICY).resolve(LmTokenizer.FILE_NAME)); // the policy's own tokenizer
    ObjectNode state = Json.JSON.createObjectNode().put("nextIteration", nextIteration).put("step", learner.steps());
    Path tmp = checkpoints.resolve(dir.getFileName() + ".json.tmp");
    Files.writeString(tmp, Json.JSON.writeValueAsString(state), StandardCharsets.UTF_8);
    Files.move(tmp, checkpoints.resolve(dir.getFileName() + ".json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The process's CPU time (every thread, native ones included), or 0 where the JVM does not say. */
  static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static double minutesSince(long nanos) {
    return (System.nanoTime() - nanos) / 60e9;
  }

  /** The iteration in a training episode's id: {@code <run>-it<N>-<index>} or {@code <run>-it<N>r<round>-<index>}. */
  private static final java.util.regex.Pattern ITERATION =
      java.util.regex.Pattern.compile("-it(\\d+)(?:r\\d+)?-\\d+(?:-[^-]+)?$");

  /**
   * Before a resume that starts at iteration {@code first}: drops from {@code episodes.jsonl} the episodes of
   * iterations {@code first} and later, and from {@code metrics.jsonl} their lines (and a torn last line), so the
   * resumed run writes them once. Both files are rewritten beside and renamed over. Returns the episodes and the
   * metrics lines dropped.
   */
  static long[] dropAfter(Path runDirectory, int first) {
    Path episodes = runDirectory.resolve("episodes.jsonl");
    long dropped = EpisodeStore.retain(episodes, e -> {
      java.util.regex.Matcher m = ITERATION.matcher(e.id());
      return !m.find() || Integer.parseInt(m.group(1)) < first;
    });
    Path metrics = runDirectory.resolve("metrics.jsonl");
    long droppedLines = 0;
    if (Files.exists(metrics)) {
      try {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          com.fasterxml.jackson.databind.JsonNode m;
          try {
            m = Json.JSON.readTree(line);
          } catch (IOException torn) {
            droppedLines++; // a line a kill cut short
            continue;
          }
          if (m.path("iteration").asInt(Integer.MAX_VALUE) < first) {
            kept.add(line);
          } else {
            droppedLines++;
          }
        }
        Path tmp = metrics.resolveSibling("metrics.jsonl.tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, metrics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rewrite " + metrics + ": " + e.getMessage(), e);
      }
    }
    return new long[] {dropped, droppedLines};
  }

  private static int readNextIteration(Path checkpoint) {
    Path sidecar = checkpoint.resolveSibling(checkpoint.getFileName() + ".json");
    try {
      return Json.JSON.readTree(sidecar.toFile()).path("nextIteration").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sidecar + ": " + e.getMessage(), e);
    }
  }

  /** The configuration bound to the registry's plugins. */
  record Resolved(BoundEnvironment env, AgentProvider<DjlLmAgentProvider.Config> modelProvider,
      DjlLmAgentProvider.Config modelConfig, ShapingSpec shapingSpec, ShapingPipeline pipeline,
      ObjectNode resolvedTree) {}

  Resolved resolve() {
    return resolve(null, PluginContext.minimal());
  }

  /**
   * Checks the whole configuration (environment, model, shaping, estimator, warm start) without building
   * anything, so that bad input fails before a run directory is created.
   */
  public void validate() {
    try (PluginContext.Owned context = PluginContext.standalone(registry, config.chatEndpoints())) {
      resolve(null, context);
    }
  }

  /** The configuration bound to the registry's plugins, the environment and shapers made with {@code context}. */
  @SuppressWarnings("unchecked")
  Resolved resolve(Path checkpoint, PluginContext context) {
    EnvironmentProvider<?> envProvider = registry.environments().get(config.env());
    BoundEnvironment env = BoundEnvironment.ofUnchecked(envProvider, PluginConfigs.bind(envProvider, config.envConfig()))
        .withContext(context).probe();
    AgentProvider<?> agentProvider = registry.agents().get("djl-lm");
    if (agentProvider.configType() != DjlLmAgentProvider.Config.class) {
      throw new ConfigException("train: the djl-lm agent backend is not registered");
    }
    AgentProvider<DjlLmAgentProvider.Config> modelProvider = (AgentProvider<DjlLmAgentProvider.Config>) agentProvider;
    ObjectNode modelTree = ((ObjectNode) config.model()).deepCopy();
    if (device != null) {
      modelTree.put("device", device);
    }
    if (AdvantageEstimators.of(config.estimator(), config.advantageConfig()).needsValues()) {
      modelTree.put("valueHead", true); // the critic: a value head on the policy's trunk
    }
    DjlLmAgentProvider.Config modelConfig = PluginConfigs.bind(modelProvider, modelTree);
    if (checkpoint != null) {
      modelConfig = modelConfig.withCheckpoint(checkpoint.resolve(LearnerCheckpoint.POLICY).toString());
    }
    ShapingSpec shapingSpec = config.shapingSpec();
    ShapingPipeline pipeline = ShapingFactory.build(registry, shapingSpec, env);
    if (config.warmStartEpisodes() > 0 && env.oracle().isEmpty()) {
      throw new ConfigException("train: warmStartEpisodes is " + config.warmStartEpisodes() + " but environment '"
          + config.env() + "' has no oracle to imitate; set warmStartEpisodes to 0");
    }
    ObjectNode tree = Json.YAML.valueToTree(config);
    tree.set("envConfig", Json.YAML.valueToTree(env.config()));
    tree.set("model", Json.YAML.valueToTree(modelConfig));
    tree.set("shaping", Json.YAML.valueToTree(shapingSpec));
    tree.set("learner", Json.YAML.valueToTree(config.learnerConfig()));
    Object estimatorSettings = config.advantageConfig();
    boolean noFields = estimatorSettings.getClass().isRecord()
        && estimatorSettings.getClass().getRecordComponents().length == 0;
    tree.set("estimatorConfig", noFields ? Json.YAML.createObjectNode() : Json.YAML.valueToTree(estimatorSettings));
    if (config.dynamicSampling().enabled() && AdvantageEstimators.of(config.estimator(), estimatorSettings)
        .needsValues()) {
      throw new ConfigException("train: dynamicSampling is for estimators without a critic; '" + config.estimator()
          + "' trains one, so every group has a signal (its value targets); turn dynamicSampling off");
    }
    return new Resolved(env, modelProvider, modelConfig, shapingSpec, pipeline, tree);
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

  /** An iteration's episodes: all that were played (for the metrics) and the groups to train on. */
  record Played(List<Episode> episodes, List<List<Episode>> groups, SamplingStats sampling) {}

  /**
   * The groups to train on from an iteration's first round: all of them, or, with dynamic sampling, those with a
   * signal, refilled by further rounds of new tasks up to {@code tasksPerIteration} groups.
   */
  private Played filter(List<Episode> first, EpisodeRuntime runtime, Resolved r, DjlLmAgent policy, String runId,
      int it, EpisodeStore store, AdvantageEstimator estimator) throws InterruptedException {
    List<List<Episode>> groups = groups(first);
    if (!config.dynamicSampling().enabled()) {
      return new Played(first, groups, new SamplingStats(false, 1, groups.size(), groups.size(), 0));
    }
    List<Episode> all = new ArrayList<>(first);
    List<List<Episode>> kept = new ArrayList<>();
    int played = 0;
    int dropped = 0;
    int rounds = 1;
    while (true) {
      for (List<Episode> g : groups) {
        played++;
        if (hasSignal(estimator, g)) {
          kept.add(g);
        } else {
          dropped++;
        }
      }
      if (kept.size() >= config.tasksPerIteration() || rounds >= config.dynamicSampling().maxRounds()) {
        break;
      }
      List<Episode> more = await(playAsync(runtime, r, policy, runId + "-it" + it + "r" + rounds,
          config.tasksPerIteration() * config.groupSize(), config.groupSize(),
          Seeds.mix(trainingSeed(config.seed(), it), rounds), Scorer.timed(r.pipeline()::scoreAsync, scoringNanos),
          store::append, trainingEpisodes));
      all.addAll(more);
      groups = groups(more);
      rounds++;
    }
    List<List<Episode>> train = kept.size() > config.tasksPerIteration()
        ? new ArrayList<>(kept.subList(0, config.tasksPerIteration())) : kept;
    return new Played(all, train, new SamplingStats(true, rounds, played, train.size(), dropped));
  }

  /**
   * How many updates one pass over an iteration's samples takes. A mini-batch holds {@code 1/miniBatches} of the
   * iteration's turns, those skipped for a zero advantage included (they would add nothing but their weight), so
   * when most turns carry no signal the pass takes fewer updates, not the same number on slivers of a few
   * samples each: Adam moves every parameter by about its learning rate per step however little a step was told,
   * and issue 19's strong warm start, whose groups mostly all succeeded, lost what it had to 8 full steps per
   * iteration on 6 samples each. At least 1, at most {@code miniBatches} and the number of samples.
   */
  static int updatesPerPass(int samples, int zeroAdvantageTurns, int miniBatches) {
    if (samples == 0) {
      return 0;
    }
    int turns = samples + zeroAdvantageTurns;
    int size = (turns + miniBatches - 1) / miniBatches;
    return Math.max(1, Math.min(Math.min(miniBatches, samples), (samples + size - 1) / size));
  }

  /** Whether the estimator gives some token of the group a nonzero advantage. */
  private static boolean hasSignal(AdvantageEstimator estimator, List<Episode> group) {
    for (TokenAdvantages ta : estimator.estimateGroup(group)) {
      for (float[] turn : ta.advantages()) {
        if (!allZero(turn)) {
          return true;
        }
      }
    }
    return false;
  }

  /** One iteration's outcome. */
  record Iteration(List<Episode> episodes, List<UpdateStats> updates, int samples, int zeroAdvantageTurns, int dropped,
      long maxStaleness, double meanStaleness, double rolloutSeconds, double updateSeconds, double scoringSeconds,
      AdvantageStats advantages, SamplingStats sampling, Layout layout, PreferenceTraining.Summary preference) {

    /** A policy-gradient iteration (no preference summary). */
    Iteration(List<Episode> episodes, List<UpdateStats> updates, int samples, int zeroAdvantageTurns, int dropped,
        long maxStaleness, double meanStaleness, double rolloutSeconds, double updateSeconds, double scoringSeconds,
        AdvantageStats advantages, SamplingStats sampling, Layout layout) {
      this(episodes, updates, samples, zeroAdvantageTurns, dropped, maxStaleness, meanStaleness, rolloutSeconds,
          updateSeconds, scoringSeconds, advantages, sampling, layout, null);
    }
  }

  /**
   * How an iteration's samples were laid out for the learner.
   *
   * @param packed whether each episode's trained turns were packed into rows ({@link PackedSample})
   * @param rows the rows: one per sample unpacked, one per episode (or per stretch of one) packed
   * @param splitEpisodes episodes whose trained turns needed more than one row because a turn's prompt did not
   *     continue the previous turn's prompt and output (a prompt cut to fit the context, a reply whose text encodes
   *     to other ids than the ones sampled)
   */
  record Layout(boolean packed, int rows, int splitEpisodes) {}

  /** Starts iteration {@code it}'s rollouts with the current policy; its episodes, sorted by id, when done. */
  private CompletableFuture<List<Episode>> rollout(EpisodeRuntime runtime, Resolved r, DjlLmAgent policy,
      String runId, int it, EpisodeStore store) {
    int episodes = config.tasksPerIteration() * config.groupSize();
    String iterationId = runId + "-it" + it;
    return playAsync(runtime, r, policy, iterationId, episodes, config.groupSize(),
        trainingSeed(config.seed(), it), Scorer.timed(r.pipeline()::scoreAsync, scoringNanos), store::append,
        trainingEpisodes, cluster == null ? null : options -> cluster.publish(iterationId, r.env(), options,
            preparedModel, policy.trainable(), policy.tokenizer()));
  }

  /**
   * Cluster mode: each iteration's policy is published under {@code policy/} in the run directory and its episodes
   * leased to the cluster's workers (see {@link dev.ludus.runner.cluster.PolicyPublisher}); the caller closes it.
   */
  public Trainer onCluster(dev.ludus.runner.cluster.PolicyPublisher publisher) {
    this.cluster = publisher;
    return this;
  }

  private static List<Episode> await(CompletableFuture<List<Episode>> rollout) throws InterruptedException {
    try {
      return rollout.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the rollout failed: " + e.getCause(), e.getCause());
    }
  }

  /** Advantages, samples and the updates of one iteration's episodes. */
  private Iteration learn(Played played, double rolloutSeconds, double scoringSeconds,
      AdvantageEstimator estimator, PolicyLearner learner, int it, double samplingTemperature) {
    if (config.algorithm() != TrainConfig.Algorithm.PPO) {
      return PreferenceTraining.learn(config, played, rolloutSeconds, scoringSeconds, learner, it);
    }
    long t1 = System.nanoTime();
    List<List<Episode>> groups = played.groups();
    AdvantageBatch batch = AdvantageBatch.of(groups);
    StateValues values = null;
    boolean packing = learner.config().packing();
    if (estimator.needsValues()) {
      values = StateValues.compute(learner.policy(), groups.stream().flatMap(List::stream).toList(),
          learner.config().microBatchSize(), packing);
      batch = batch.withValues(values);
    }
    List<TokenAdvantages> advantages = estimator.estimate(batch);
    AdvantageStats advantageStats = AdvantageStats.of(advantages);
    long version = learner.policy().version();
    List<Sample> samples = new ArrayList<>();
    // packed: each episode's trained turns as few rows as the prefix property allows (one when it holds throughout)
    List<PackedSample> rows = new ArrayList<>();
    int splitEpisodes = 0;
    int zero = 0;
    int dropped = 0;
    long maxStale = 0;
    long staleSum = 0;
    for (TokenAdvantages ta : advantages) {
      Episode e = ta.episode();
      int episodeStart = samples.size();
      for (int t = 0; t < ta.turns(); t++) {
        Turn turn = e.turns().get(t);
        TokenTrace trace = turn.tokens();
        if (trace == null || trace.outputIds().length == 0) {
          continue;
        }
        long staleness = trace.policyVersion() < 0 ? 0 : version - trace.policyVersion();
        if (staleness > config.maxStaleness()) {
          dropped++;
          continue;
        }
        float[] a = ta.advantages()[t];
        boolean critic = ta.hasValueTargets() && values != null;
        if (allZero(a) && !critic) {
          zero++;
          continue;
        }
        maxStale = Math.max(maxStale, staleness);
        staleSum += staleness;
        Sample sample = Sample.of(turn, a).withTemperature(samplingTemperature);
        samples.add(critic ? sample.withValueTarget(ta.valueTargets()[t], values.value(e, t)) : sample);
      }
      if (packing && samples.size() > episodeStart) {
        List<PackedSample> packed = PackedSample.pack(samples.subList(episodeStart, samples.size()));
        rows.addAll(packed);
        splitEpisodes += packed.size() > 1 ? 1 : 0;
      }
    }
    List<UpdateStats> updates = new ArrayList<>();
    if (!samples.isEmpty()) {
      java.util.Random shuffle = new java.util.Random(trainingSeed(config.seed(), it));
      int parts = updatesPerPass(samples.size(), zero, config.miniBatches());
      for (int epoch = 0; epoch < config.epochs() && !klStopped(updates); epoch++) {
        if (packing) {
          // a mini-batch takes whole rows (an episode's turns together), as many rows each as the shuffle gives
          List<PackedSample> order = new ArrayList<>(rows);
          Collections.shuffle(order, shuffle);
          int n = Math.min(parts, order.size());
          for (int p = 0; p < n && !klStopped(updates); p++) {
            updates.add(learner.updatePacked(order.subList(p * order.size() / n, (p + 1) * order.size() / n)));
          }
          continue;
        }
        List<Sample> order = new ArrayList<>(samples);
        Collections.shuffle(order, shuffle);
        for (int p = 0; p < parts && !klStopped(updates); p++) {
          List<Sample> part = order.subList(p * order.size() / parts, (p + 1) * order.size() / parts);
          updates.add(learner.update(part));
        }
      }
    }
    long t2 = System.nanoTime();
    return new Iteration(played.episodes(), updates, samples.size(), zero, dropped, maxStale,
        samples.isEmpty() ? 0 : (double) staleSum / samples.size(), rolloutSeconds, (t2 - t1) / 1e9,
        scoringSeconds, advantageStats, played.sampling(),
        new Layout(packing, packing ? rows.size() : samples.size(), splitEpisodes));
  }

  private void warmStart(EpisodeRuntime runtime, Resolved r, DjlLmAgent policy, PolicyLearner learner, String runId)
      throws InterruptedException {
    Agent oracle = r.env().oracle().orElseThrow();
    TeacherAgent teacher = new TeacherAgent(oracle, policy, config.warmStartTarget().equals(TrainConfig.MESSAGE));
    play(runtime, r, teacher, runId + "-warm", config.warmStartEpisodes(), 1, config.seed() + 7 * EVAL_SEED_OFFSET,
        Scorer.none(), null);
    List<Demonstration> demos = teacher.demonstrations();
    if (demos.isEmpty()) {
      out.println("warm start: the oracle's turns gave no demonstrations; skipped");
      return;
    }
    ImitationStats first = null;
    ImitationStats last = null;
    int steps = 0;
    String stopped = "the step limit (" + config.warmStartSteps() + ")";
    while (steps < config.warmStartSteps()) {
      last = learner.imitate(demos);
      steps++;
      first = first == null ? last : first;
      if (config.warmStartAccuracy() > 0 && last.tokenAccuracy() >= config.warmStartAccuracy()
          && (config.warmStartLoss() <= 0 || last.loss() <= config.warmStartLoss())) {
        stopped = String.format(Locale.ROOT, "fitted: token accuracy %.3f >= %.3f", last.tokenAccuracy(),
            config.warmStartAccuracy()) + (config.warmStartLoss() > 0
            ? String.format(Locale.ROOT, ", loss %.3f <= %.3f", last.loss(), config.warmStartLoss()) : "");
        break;
      }
    }
    warmStartResult = new WarmStart(demos.size(), steps, last.loss(), last.tokenAccuracy(), last.entropy());
    if (learner.config().usesPtx()) {
      learner.setDemonstrations(demos); // PPO-ptx: RL keeps imitating them
    }
    out.printf(Locale.ROOT, "warm start: %d demonstrations from %d oracle episodes, %d imitation steps (stopped at %s), "
        + "loss %.3f -> %.3f, token accuracy %.3f -> %.3f, entropy %.3f -> %.3f%n", demos.size(),
        config.warmStartEpisodes(), steps, stopped, first.loss(), last.loss(), first.tokenAccuracy(),
        last.tokenAccuracy(), first.entropy(), last.entropy());
    out.flush();
  }

  private double evaluate(EpisodeRuntime runtime, Resolved r, Agent evaluator, String runId, BufferedWriter evals,
      String label) throws InterruptedException, IOException {
    long started = System.nanoTime();
    List<Episode> played = play(runtime, r, evaluator, runId, config.evalEpisodes(), 1,
        config.seed() + EVAL_SEED_OFFSET, Scorer.none(), null);
    double success = played.stream().filter(Episode::success).count() / (double) played.size();
    ObjectNode line = Json.JSON.createObjectNode();
    line.put("evaluation", label);
    line.put("episodes", played.size());
    line.put("success", success);
    line.put("meanTurns", played.stream().mapToInt(e -> e.turns().size()).average().orElse(0));
    if (label.equals("after-warm-start") && warmStartResult != null) {
      line.set("warmStart", Json.JSON.valueToTree(warmStartResult));
    }
    evals.write(Json.JSON.writeValueAsString(line));
    evals.newLine();
    evals.flush();
    evaluationNanos += System.nanoTime() - started;
    return success;
  }

  private List<Episode> play(EpisodeRuntime runtime, Resolved r, Agent agent, String runId, int episodes, int group,
      long seed, Scorer scorer, EpisodeSink sink) throws InterruptedException {
    return await(playAsync(runtime, r, agent, runId, episodes, group, seed, scorer, sink, EpisodeListener.none()));
  }

  private CompletableFuture<List<Episode>> playAsync(EpisodeRuntime runtime, Resolved r, Agent agent, String runId,
      int episodes, int group, long seed, Scorer scorer, EpisodeSink sink, EpisodeListener listener) {
    return playAsync(runtime, r, agent, runId, episodes, group, seed, scorer, sink, listener, null);
  }

  private CompletableFuture<List<Episode>> playAsync(EpisodeRuntime runtime, Resolved r, Agent agent, String runId,
      int episodes, int group, long seed, Scorer scorer, EpisodeSink sink, EpisodeListener listener,
      java.util.function.Function<RolloutOptions, dev.ludus.runner.runtime.MatchPlayer> away) {
    List<Episode> out = Collections.synchronizedList(new ArrayList<>());
    RolloutOptions options = RolloutOptions.of(episodes, config.concurrency(), seed).withGroupSize(group);
    EpisodeSink collect = e -> {
      out.add(e);
      return sink == null ? CompletableFuture.completedFuture(null) : sink.accept(e);
    };
    dev.ludus.runner.runtime.MatchPlayer player = away == null ? null : away.apply(options);
    Rollout rollout = new Rollout(runId, r.env(), "djl-lm", agent, options, scorer);
    return (player == null ? runtime.run(rollout, collect, listener)
        : runtime.run(rollout, collect, listener, dev.ludus.runner.runtime.RunControl.create(), player))
        .toCompletableFuture().thenApply(summary -> {
          List<Episode> sorted = new ArrayList<>(out);
          sorted.sort(Comparator.comparing(Episode::id));
          return sorted;
        });
  }

  /** The KL reference the run made or loaded, closed after the learner that reads it; null when there is none. */
  private static final class Reference implements AutoCloseable {
    TrainablePolicy model;

    Reference(TrainablePolicy model) {
      this.model = model;
    }

    @Override
    public void close() {
      if (model != null) {
        model.close();
      }
    }
  }

  /** The training seed of iteration {@code it}: distinct per iteration, never an evaluation's. */
  static long trainingSeed(long seed, int it) {
    return seed * 7919L + it + 1;
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

  /** Whether the last update hit the learner's trust region ({@code targetKl}): the iteration's updates end. */
  private static boolean klStopped(List<UpdateStats> updates) {
    return !updates.isEmpty() && updates.get(updates.size() - 1).klStopped();
  }

  private static boolean allZero(float[] a) {
    for (float x : a) {
      if (x != 0f) {
        return false;
      }
    }
    return true;
  }

  /**
   * One line of {@code metrics.jsonl}: {@code iteration}, {@code policyVersion}, {@code step},
   * {@code episodes}, {@code success}, {@code return} (the mean shaped return), {@code envReturn},
   * {@code meanTurns}, {@code components} (each ledger component's mean value per episode, as
   * {@code source/component}), {@code loss}, {@code policyLoss}, {@code kl}, {@code entropy},
   * {@code clipFraction}, {@code clipFractionHigh}, {@code clipFractionLow}, {@code dualClipFraction},
   * {@code ratioMean}, {@code ratioMin}, {@code ratioMax}, {@code behaviourKl} (see {@link UpdateStats}), (only
   * with a critic) {@code valueLoss}, {@code valueMean}, {@code valueExplainedVariance}, {@code valueClipFraction},
   * then {@code gradNorm}, {@code samples}, {@code tokens}, {@code updateSamples}, {@code rows} and
   * {@code paddedCells} (the update's forward passes: rows, and rows times the longest row summed over its
   * micro-batches), {@code trainedTokenShare} ({@code tokens / paddedCells}), {@code layout} (the iteration's
   * {@link Layout}: {@code packed}, {@code rows}, {@code splitEpisodes}), {@code zeroAdvantageTurns},
   * {@code advantages} (the iteration's {@link AdvantageStats}), {@code sampling} (its {@link SamplingStats}),
   * {@code staleness} ({@code mean}, {@code max}, {@code dropped}),
   * {@code preference} (only with {@code algorithm: dpo|ipo|raft}: {@link PreferenceTraining.Summary}),
   * {@code rolloutWaitSeconds} (how long the learner waited for the iteration's rollouts: all of
   * them when synchronous, what the updates did not hide when pipelined), {@code scoringSeconds} (the
   * shaping pipeline's share of those rollouts), {@code updateSeconds}, {@code applied}.
   */
  static String metricsLine(int it, Iteration r, UpdateStats s) {
    ObjectNode m = Json.JSON.createObjectNode();
    m.put("iteration", it);
    m.put("policyVersion", s == null ? -1 : s.policyVersion());
    m.put("step", s == null ? -1 : s.step());
    m.put("episodes", r.episodes().size());
    m.put("success", success(r.episodes()));
    m.put("return", meanShapedReturn(r.episodes()));
    m.put("envReturn", r.episodes().stream().mapToDouble(Episode::totalReward).average().orElse(0));
    m.put("meanTurns", r.episodes().stream().mapToInt(e -> e.turns().size()).average().orElse(0));
    ObjectNode components = m.putObject("components");
    componentMeans(r.episodes()).forEach(components::put);
    m.put("applied", s != null && s.applied());
    m.put("loss", s == null ? 0 : s.loss());
    m.put("policyLoss", s == null ? 0 : s.policyLoss());
    m.put("kl", s == null ? 0 : s.kl());
    m.put("entropy", s == null ? 0 : s.entropy());
    m.put("clipFraction", s == null ? 0 : s.clipFraction());
    m.put("clipFractionHigh", s == null ? 0 : s.clipFractionHigh());
    m.put("clipFractionLow", s == null ? 0 : s.clipFractionLow());
    m.put("dualClipFraction", s == null ? 0 : s.dualClipFraction());
    m.put("ratioMean", s == null ? 0 : s.ratioMean());
    m.put("ratioMin", s == null ? 0 : s.ratioMin());
    m.put("ratioMax", s == null ? 0 : s.ratioMax());
    m.put("behaviourKl", s == null ? 0 : s.behaviourKl());
    m.put("klCoefficient", s == null ? 0 : s.klCoefficient());
    m.put("klStopped", s != null && s.klStopped());
    m.put("ptxLoss", s == null ? 0 : s.ptxLoss());
    m.put("ptxTokens", s == null ? 0 : s.ptxTokens());
    if (s != null && s.valueSamples() > 0) {
      m.put("valueLoss", s.valueLoss());
      m.put("valueMean", s.valueMean());
      m.put("valueExplainedVariance", s.valueExplainedVariance());
      m.put("valueClipFraction", s.valueClipFraction());
    }
    m.put("gradNorm", s == null ? 0 : s.gradNorm());
    m.put("samples", r.samples());
    m.put("tokens", s == null ? 0 : s.tokens());
    m.put("updateSamples", s == null ? 0 : s.samples());
    m.put("rows", s == null ? 0 : s.rows());
    m.put("paddedCells", s == null ? 0 : s.paddedCells());
    m.put("trainedTokenShare", s == null ? 0 : s.trainedTokenShare());
    m.set("layout", Json.JSON.valueToTree(r.layout()));
    m.put("zeroAdvantageTurns", r.zeroAdvantageTurns());
    m.set("advantages", Json.JSON.valueToTree(r.advantages()));
    m.set("sampling", Json.JSON.valueToTree(r.sampling()));
    ObjectNode staleness = m.putObject("staleness");
    staleness.put("mean", r.meanStaleness());
    staleness.put("max", r.maxStaleness());
    staleness.put("dropped", r.dropped());
    if (r.preference() != null) {
      m.set("preference", Json.JSON.valueToTree(r.preference()));
    }
    m.put("rolloutWaitSeconds", r.rolloutSeconds());
    m.put("scoringSeconds", r.scoringSeconds());
    m.put("updateSeconds", r.updateSeconds());
    try {
      return Json.JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String progressLine(int it, Iteration r) {
    UpdateStats s = r.updates().isEmpty() ? null : r.updates().get(r.updates().size() - 1);
    long tokens = r.updates().stream().mapToLong(UpdateStats::tokens).sum();
    long cells = r.updates().stream().mapToLong(UpdateStats::paddedCells).sum();
    return String.format(Locale.ROOT, "iter %3d/%d  success %.3f  return %.3f  turns %.2f  %s  samples %d%s  "
            + "trained %.1f%% of cells  rollout wait %.1fs update %.1fs", it + 1, config.iterations(),
        success(r.episodes()), meanShapedReturn(r.episodes()),
        r.episodes().stream().mapToInt(e -> e.turns().size()).average().orElse(0),
        s == null ? "no update (all advantages 0)"
            : String.format(Locale.ROOT, "loss %+.4f entropy %.3f", s.loss(), s.entropy()),
        r.samples(), r.layout().packed() ? " in " + r.layout().rows() + " rows" : "",
        cells == 0 ? 0 : 100.0 * tokens / cells, r.rolloutSeconds(), r.updateSeconds());
  }

  static double success(List<Episode> episodes) {
    return episodes.isEmpty() ? 0 : episodes.stream().filter(Episode::success).count() / (double) episodes.size();
  }

  static double meanShapedReturn(List<Episode> episodes) {
    return episodes.stream().mapToDouble(ShapingPipeline::shapedReturn).average().orElse(0);
  }

  static Map<String, Double> componentMeans(List<Episode> episodes) {
    Map<String, Double> sums = new TreeMap<>();
    for (Episode e : episodes) {
      for (LedgerEntry l : e.ledger()) {
        String key = l.label();
        sums.merge(key, l.value(), Double::sum);
      }
    }
    Map<String, Double> means = new TreeMap<>();
    sums.forEach((k, v) -> means.put(k, episodes.isEmpty() ? 0 : v / episodes.size()));
    return means;
  }

  /** The iteration a {@link #resume} of {@code runDirectory} starts at; 0 when it has no checkpoint. */
  public static int resumeIteration(Path runDirectory) {
    return latestCheckpoint(runDirectory).map(Trainer::readNextIteration).orElse(0);
  }

  /** The newest complete checkpoint under {@code runDirectory/checkpoints}, if any. */
  static java.util.Optional<Path> latestCheckpoint(Path runDirectory) {
    Path dir = runDirectory.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-")).filter(LearnerCheckpoint::exists)
          .filter(p -> Files.isRegularFile(p.resolveSibling(p.getFileName() + ".json")))
          .max(Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
