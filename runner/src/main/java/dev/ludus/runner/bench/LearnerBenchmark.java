package dev.ludus.runner.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.learn.PackedSample;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageBatch;
import dev.ludus.runner.learn.advantage.AdvantageEstimator;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.learn.advantage.TokenAdvantages;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import dev.ludus.shaping.ShapingPipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * {@code ludus bench learner}: what the learner's bookkeeping costs, and where a training run's time goes.
 *
 * <p>(a) Output tokens/s of one full GRPO update (the GRPO estimator over the groups, a {@link Sample} per agent
 * turn, {@link PolicyLearner#update}: PPO loss with its statistics, backward, gradient-norm clipping, AdamW under
 * the model's write lock) against a bare DJL loop on exactly the same padded micro-batches: forward in training
 * mode, log-softmax and gather of the next tokens, a masked mean negative log-likelihood, backward through a
 * {@link GradientCollector}, and a plain SGD step ({@code w ← w − lr·g}). The bare loop is the least any
 * learner must do (forward, backward, a weight update); its ratio says what the rest costs. The batch is real:
 * {@code tasksPerIteration × groupSize} episodes rolled out once by the untrained policy on the configured
 * environment and scored by its shaping pipeline, every agent turn one sample (zero-advantage turns included,
 * which the trainer would skip: they cost the same), without the KL term (a feature, with a reference model's
 * forward pass of its own, not bookkeeping). Each side gets its own model with the same weights. Both
 * are warmed up; then each round runs one learner update and one bare step back to back (in alternating order,
 * so that neither always runs after the other's garbage), and the ratio is the median of the rounds' ratios: a
 * pair measured seconds apart sees the same load on a shared machine, which the medians of each side taken
 * apart would not. Both count the same tokens: the output tokens the loss covers.
 *
 * <p>(a') In the same rounds, the same learner also takes the packed update of the same batch
 * ({@link PolicyLearner#updatePacked}: each episode's turns one row, {@link PackedSample#pack}), so that the
 * trained-token share of the padded cells (output tokens over rows × width, summed over micro-batches) and the
 * tokens/s of useful (agent output) tokens are given for both layouts, measured in one run; the speed-up is the
 * median of the rounds' packed over per-turn ratios. The three calls of a round run in an order that rotates
 * from round to round.
 *
 * <p>(b) The wall-time split of one training run ({@link Trainer.Timings}) in a temporary directory, deleted
 * afterwards.
 *
 * <p>Not thread-safe; each call owns its models and closes them.
 */
public final class LearnerBenchmark {
  /** The bare loop's SGD step size: small, so the weights move without drifting far over the rounds. */
  static final float BARE_LEARNING_RATE = 1e-4f;

  /**
   * What the batch of part (a) holds.
   *
   * @param samples agent turns, one sample each
   * @param episodes episodes rolled out
   * @param outputTokens the tokens the loss covers
   * @param promptTokens prompt tokens, summed
   * @param maxPromptTokens the longest prompt
   * @param paddedTokens cells of the padded micro-batches (rows × width, summed): what the forward pass sees
   * @param microBatches micro-batches of the update
   */
  public record Batch(int samples, int episodes, long outputTokens, long promptTokens, int maxPromptTokens,
      long paddedTokens, int microBatches) {}

  /**
   * Part (a)'s figures.
   *
   * @param spec the policy's architecture
   * @param batch the batch both sides train on
   * @param learnerTokens output tokens of one learner update (its {@link UpdateStats#tokens()})
   * @param bareTokens output tokens of one bare step
   * @param learner tokens/s of each measured learner round
   * @param bare tokens/s of each measured bare round
   * @param learnerCpu tokens per second of process CPU time (all threads: PyTorch's, the JVM's) of each learner
   *     round; less sensitive than wall time to other processes on a shared machine
   * @param bareCpu the same for each bare round
   * @param packing the per-turn and the packed layout of the batch, and the packed update's rates (part (a'))
   */
  public record Result(LanguageModel.Spec spec, Batch batch, long learnerTokens, long bareTokens, List<Double> learner,
      List<Double> bare, List<Double> learnerCpu, List<Double> bareCpu, Packing packing) {
    public double learnerTokensPerSecond() {
      return BenchMath.median(learner);
    }

    public double bareTokensPerSecond() {
      return BenchMath.median(bare);
    }

    /**
     * The median over the rounds of learner tokens/s over bare tokens/s, each round's two measured back to back;
     * 1 would mean the learner's bookkeeping is free.
     */
    public double ratio() {
      return BenchMath.median(roundRatios());
    }

    public double learnerTokensPerCpuSecond() {
      return BenchMath.median(learnerCpu);
    }

    public double bareTokensPerCpuSecond() {
      return BenchMath.median(bareCpu);
    }

    /** The median over the rounds of the ratio of tokens per CPU-second, learner over bare. */
    public double cpuRatio() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < learnerCpu.size(); i++) {
        out.add(learnerCpu.get(i) / bareCpu.get(i));
      }
      return BenchMath.median(out);
    }

    /**
     * The median over the rounds of the packed update's output tokens/s over the per-turn update's, each round's
     * two measured back to back.
     */
    public double packedSpeedUp() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < learner.size(); i++) {
        out.add(packing.packed().get(i) / learner.get(i));
      }
      return BenchMath.median(out);
    }

    /** {@link #packedSpeedUp()} by process CPU time. */
    public double packedCpuSpeedUp() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < learnerCpu.size(); i++) {
        out.add(packing.packedCpu().get(i) / learnerCpu.get(i));
      }
      return BenchMath.median(out);
    }

    /** Each measured round's learner tokens/s over its bare tokens/s. */
    public List<Double> roundRatios() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < learner.size(); i++) {
        out.add(learner.get(i) / bare.get(i));
      }
      return out;
    }
  }

  /**
   * Part (a')'s figures: the per-turn and the packed layout of the same batch, trained by the same learner.
   *
   * @param perTurnRows rows of the per-turn update (one per agent turn)
   * @param perTurnCells padded cells of the per-turn update's forward passes
   * @param packedRows rows of the packed update (one per episode, more where the prefix property fails)
   * @param packedCells padded cells of the packed update's forward passes
   * @param splitEpisodes episodes that needed more than one packed row
   * @param tokens the output tokens both updates train on
   * @param packed output tokens/s of each measured packed round (the per-turn ones are {@link Result#learner()})
   * @param packedCpu output tokens per CPU-second of each measured packed round
   */
  public record Packing(int perTurnRows, long perTurnCells, int packedRows, long packedCells, int splitEpisodes,
      long tokens, List<Double> packed, List<Double> packedCpu) {
    /** Output tokens over padded cells, per-turn layout. */
    public double perTurnShare() {
      return (double) tokens / perTurnCells;
    }

    /** Output tokens over padded cells, packed layout. */
    public double packedShare() {
      return (double) tokens / packedCells;
    }

    public double packedTokensPerSecond() {
      return BenchMath.median(packed);
    }

    public double packedTokensPerCpuSecond() {
      return BenchMath.median(packedCpu);
    }
  }

  private LearnerBenchmark() {}

  /**
   * Part (a): rolls out one iteration's episodes with {@code config}'s untrained policy, then measures
   * {@code warmup} rounds of each side unrecorded and {@code rounds} alternating rounds recorded.
   */
  public static Result run(Registry registry, TrainConfig config, int warmup, int rounds) throws InterruptedException {
    if (warmup < 0 || rounds < 1) {
      throw new IllegalArgumentException("warmup must be at least 0 and rounds at least 1, were " + warmup + " and "
          + rounds);
    }
    EnvironmentProvider<?> envProvider = registry.environments().get(config.env());
    BoundEnvironment env = BoundEnvironment.ofUnchecked(envProvider, PluginConfigs.bind(envProvider, config.envConfig()));
    DjlLmAgentProvider.Config modelConfig = dev.ludus.runner.train.TokenizerCorpus.prepare(  // a BPE: trained here
        PluginConfigs.bind(modelProvider(registry), config.model()), env, new PrintWriter(Writer.nullWriter()));
    ShapingPipeline pipeline = ShapingFactory.build(registry, config.shapingSpec(), env);
    AdvantageEstimator grpo = AdvantageEstimators.of("grpo");
    try (DjlLmAgent policy = (DjlLmAgent) modelProvider(registry).create(modelConfig, env);
        LanguageModel bareModel = LanguageModel.create(policy.model().spec(), modelConfig.device(),
            modelConfig.seed());
        PolicyLearner learner = new PolicyLearner(policy.trainable(), null,
            config.learnerConfig().withKl(0, config.learnerConfig().klEstimator()))) {
      List<Episode> episodes = rollout(env, policy, pipeline, config);
      List<List<Episode>> groups = Trainer.groups(episodes);
      List<Sample> fixed = samples(grpo, groups);
      if (fixed.isEmpty()) {
        throw new IllegalStateException("the rollout gave no agent turns with tokens to train on");
      }
      List<Padded> padded = Padded.of(fixed, config.learnerConfig().microBatchSize());
      long tokens = fixed.stream().mapToLong(Sample::outputLength).sum();
      Batch batch = new Batch(fixed.size(), episodes.size(), tokens,
          fixed.stream().mapToLong(Sample::promptLength).sum(),
          fixed.stream().mapToInt(Sample::promptLength).max().orElse(0),
          padded.stream().mapToLong(p -> (long) p.rows * p.width).sum(), padded.size());
      List<Double> learnerRates = new ArrayList<>();
      List<Double> bareRates = new ArrayList<>();
      List<Double> learnerCpuRates = new ArrayList<>();
      List<Double> bareCpuRates = new ArrayList<>();
      List<Double> packedRates = new ArrayList<>();
      List<Double> packedCpuRates = new ArrayList<>();
      UpdateStats[] last = new UpdateStats[2];
      for (int round = -warmup; round < rounds; round++) {
        Cost[] costs = new Cost[3];
        for (int k = 0; k < 3; k++) {
          int side = Math.floorMod(k + round, 3);
          costs[side] = switch (side) {
            case 0 -> Cost.of(() -> last[0] = learner.update(samples(grpo, groups)));
            case 1 -> Cost.of(() -> last[1] = learner.updatePacked(packedRows(grpo, groups).rows()));
            default -> Cost.of(() -> bareStep(bareModel, padded));
          };
        }
        if (round >= 0) {
          learnerRates.add(last[0].tokens() / costs[0].wall());
          packedRates.add(last[1].tokens() / costs[1].wall());
          bareRates.add(tokens / costs[2].wall());
          learnerCpuRates.add(last[0].tokens() / costs[0].cpu());
          packedCpuRates.add(last[1].tokens() / costs[1].cpu());
          bareCpuRates.add(tokens / costs[2].cpu());
        }
      }
      if (last[0].tokens() != tokens || last[1].tokens() != tokens) {
        throw new IllegalStateException("the learner trained on " + last[0].tokens() + " tokens per turn and "
            + last[1].tokens() + " packed but the batch has " + tokens + "; every side must count the same tokens");
      }
      Packed packedBatch = packedRows(grpo, groups);
      Packing packing = new Packing(last[0].rows(), last[0].paddedCells(), last[1].rows(), last[1].paddedCells(),
          packedBatch.splitEpisodes(), tokens, packedRates, packedCpuRates);
      return new Result(policy.model().spec(), batch, last[0].tokens(), tokens, learnerRates, bareRates,
          learnerCpuRates, bareCpuRates, packing);
    }
  }

  /** Part (b): one training run with {@code config}, silent, in a temporary directory; where its time went. */
  public static Trainer.Timings trainingSplit(Registry registry, TrainConfig config) throws InterruptedException {
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-bench-learner-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new Trainer(registry, config, null, new PrintWriter(Writer.nullWriter())).run(dir.resolve("run"))
          .timings();
    } finally {
      deleteTree(dir);
    }
  }

  @SuppressWarnings("unchecked")
  private static AgentProvider<DjlLmAgentProvider.Config> modelProvider(Registry registry) {
    AgentProvider<?> provider = registry.agents().get("djl-lm");
    if (provider.configType() != DjlLmAgentProvider.Config.class) {
      throw new ConfigException("bench learner: the djl-lm agent backend is not registered");
    }
    return (AgentProvider<DjlLmAgentProvider.Config>) provider;
  }

  /** One iteration's episodes, scored, sorted by id (as the trainer plays them). */
  private static List<Episode> rollout(BoundEnvironment env, DjlLmAgent policy, ShapingPipeline pipeline,
      TrainConfig config) throws InterruptedException {
    List<Episode> out = Collections.synchronizedList(new ArrayList<>());
    RolloutOptions options = RolloutOptions.of(config.tasksPerIteration() * config.groupSize(), config.concurrency(),
        config.seed()).withGroupSize(config.groupSize());
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      runtime.run(new Rollout("bench-learner", env, "djl-lm", policy, options, pipeline::scoreAsync), e -> {
        out.add(e);
        return CompletableFuture.completedFuture(null);
      }, EpisodeListener.none()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the benchmark's rollout failed: " + e.getCause(), e.getCause());
    }
    List<Episode> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparing(Episode::id));
    return sorted;
  }

  /** GRPO advantages over the groups, then one sample per agent turn that has tokens: the learner side's prelude. */
  static List<Sample> samples(AdvantageEstimator estimator, List<List<Episode>> groups) {
    List<Sample> out = new ArrayList<>();
    for (TokenAdvantages ta : estimator.estimate(AdvantageBatch.of(groups))) {
      for (int t = 0; t < ta.turns(); t++) {
        Turn turn = ta.episode().turns().get(t);
        if (turn.tokens() != null && turn.tokens().outputIds().length > 0) {
          out.add(Sample.of(turn, ta.advantages()[t]));
        }
      }
    }
    return out;
  }

  /** The packed rows of a batch and how many episodes needed more than one. */
  record Packed(List<PackedSample> rows, int splitEpisodes) {}

  /**
   * GRPO advantages over the groups, then each episode's agent turns that have tokens packed into rows
   * ({@link PackedSample#pack}), as the trainer packs them: the packed side's prelude.
   */
  static Packed packedRows(AdvantageEstimator estimator, List<List<Episode>> groups) {
    List<PackedSample> rows = new ArrayList<>();
    int split = 0;
    for (TokenAdvantages ta : estimator.estimate(AdvantageBatch.of(groups))) {
      List<Sample> turns = new ArrayList<>();
      for (int t = 0; t < ta.turns(); t++) {
        Turn turn = ta.episode().turns().get(t);
        if (turn.tokens() != null && turn.tokens().outputIds().length > 0) {
          turns.add(Sample.of(turn, ta.advantages()[t]));
        }
      }
      if (!turns.isEmpty()) {
        List<PackedSample> packed = PackedSample.pack(turns);
        rows.addAll(packed);
        split += packed.size() > 1 ? 1 : 0;
      }
    }
    return new Packed(rows, split);
  }

  /**
   * One micro-batch laid out as the learner lays it out: rows of prompt then output, right-padded with id 0 to
   * the longest row, and at each output token's column a weight {@code 1 / (output tokens of the whole batch)}.
   */
  static final class Padded {
    final int rows;
    final int width;
    final long[] ids;
    final float[] attention;
    final float[] weights;

    private Padded(int rows, int width) {
      this.rows = rows;
      this.width = width;
      ids = new long[rows * width];
      attention = new float[rows * width];
      weights = new float[rows * (width - 1)];
    }

    static List<Padded> of(List<Sample> samples, int microBatch) {
      long tokens = samples.stream().mapToLong(Sample::outputLength).sum();
      List<Padded> out = new ArrayList<>();
      for (int start = 0; start < samples.size(); start += microBatch) {
        List<Sample> chunk = samples.subList(start, Math.min(samples.size(), start + microBatch));
        int width = chunk.stream().mapToInt(s -> s.promptLength() + s.outputLength()).max().orElseThrow();
        Padded p = new Padded(chunk.size(), width);
        for (int r = 0; r < chunk.size(); r++) {
          int[] prompt = chunk.get(r).promptIds();
          int[] output = chunk.get(r).outputIds();
          for (int j = 0; j < prompt.length; j++) {
            p.ids[r * width + j] = prompt[j];
          }
          for (int j = 0; j < output.length; j++) {
            p.ids[r * width + prompt.length + j] = output[j];
            p.weights[r * (width - 1) + prompt.length - 1 + j] = (float) (1.0 / tokens);
          }
          Arrays.fill(p.attention, r * width, r * width + prompt.length + output.length, 1f);
        }
        out.add(p);
      }
      return out;
    }
  }

  /**
   * The bare baseline, one step: zero the gradients; per micro-batch, forward in training mode, log-softmax,
   * gather the next tokens, the masked mean negative log-likelihood, backward; then {@code w ← w − lr·g} for every
   * trained parameter under the model's write lock. Returns the seconds it took.
   */
  static double bareStep(LanguageModel model, List<Padded> batches) {
    long start = System.nanoTime();
    List<Parameter> params = new ArrayList<>();
    for (Pair<String, Parameter> p : model.parameters()) {
      if (p.getValue().requiresGradient()) {
        params.add(p.getValue());
      }
    }
    for (Parameter p : params) {
      JniUtils.zeroGrad((PtNDArray) p.getArray());
    }
    Engine engine = model.model().getNDManager().getEngine();
    try (NDManager manager = model.model().getNDManager().newSubManager();
        GradientCollector collector = engine.newGradientCollector()) {
      ParameterStore ps = new ParameterStore(manager, false);
      for (Padded b : batches) {
        try (NDManager m = manager.newSubManager()) {
          NDArray ids = m.create(b.ids, new Shape(b.rows, b.width));
          NDArray logits = model.logits(ps, ids, m.create(b.attention, new Shape(b.rows, b.width)), true);
          NDArray logp = logits.get(new NDIndex(":, :{}, :", b.width - 1)).logSoftmax(-1)
              .gather(ids.get(new NDIndex(":, 1:")).expandDims(2), 2).squeeze(2);
          collector.backward(logp.mul(m.create(b.weights, new Shape(b.rows, b.width - 1))).sum().neg());
        }
      }
    }
    try (NDManager scratch = model.model().getNDManager().newSubManager()) {
      model.update(() -> {
        for (Parameter p : params) {
          NDArray g = p.getArray().getGradient();
          g.attach(scratch);
          p.getArray().subi(g.mul(BARE_LEARNING_RATE));
        }
      });
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The wall time and the process's CPU time (all threads) of one measured call, in seconds. */
  private record Cost(double wall, double cpu) {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static Cost of(Runnable call) {
      long cpu = OS.getProcessCpuTime();
      long wall = System.nanoTime();
      call.run();
      return new Cost((System.nanoTime() - wall) / 1e9, (OS.getProcessCpuTime() - cpu) / 1e9);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
