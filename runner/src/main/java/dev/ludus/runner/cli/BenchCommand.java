package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.bench.LearnerBenchmark;
import dev.ludus.runner.bench.RuntimeBenchmark;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.train.TokenizerCorpus;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench ...}: benchmarks that print ratios measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (ratios measured in one run).",
    subcommands = {BenchCommand.Runtime.class, BenchCommand.Shaping.class, BenchCommand.Agents.class,
        BenchCommand.Learner.class, BenchCommand.Tokenizer.class, BenchCommand.Search.class, BenchCommand.Serve.class,
        BenchCommand.LlmUsers.class, ServeEnvBenchCommand.class, CrashBenchCommand.class, BenchCommand.Faults.class,
        BenchCommand.Memory.class, BenchScoringCommand.class})
public class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A benchmark's environment and agent with the plugin context they were made with. The benchmarks start
   * runtimes of their own, so the command's plugins share a standalone context (a Vert.x of its own only if a
   * plugin asks for one), closed after the agent.
   */
  record Plugged(PluginContext.Owned context, BoundEnvironment env, Plugins.ConfiguredAgent agent)
      implements AutoCloseable {
    static Plugged of(Registry registry, String env, String envConfig, String agent) {
      PluginContext.Owned context = PluginContext.standalone(registry);
      try {
        BoundEnvironment bound = Plugins.environment(registry, env, envConfig).withContext(context).probe();
        return new Plugged(context, bound, Plugins.agent(registry, agent, null, bound));
      } catch (RuntimeException e) {
        context.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        agent.close();
      } finally {
        context.close();
      }
    }
  }

  /** {@code ludus bench runtime}. */
  @Command(name = "runtime", mixinStandardHelpOptions = true,
      description = "Turns/s of the full runtime (store on) against a bare Java loop, at several concurrencies.")
  public static class Runtime implements Callable<Integer> {
    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
    String envConfig;

    @Option(names = "--agent", defaultValue = "oracle", description = "Agent (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,256",
        description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
    int[] concurrency;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1) {
        throw new IllegalArgumentException("--episodes must be at least 1, was " + episodes);
      }
      if (Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException("--concurrency levels must be at least 1, were " + Arrays.toString(concurrency));
      }
      PrintWriter out = spec.commandLine().getOut();
      // the benchmark starts its own runtimes; the plugins share one context for the whole command
      try (Plugged plugged = Plugged.of(services.registry(), env, envConfig, agent)) {
        BoundEnvironment bound = plugged.env();
        Plugins.ConfiguredAgent a = plugged.agent();
        out.printf("bench runtime: %s with agent %s, %d episodes per measurement, %d cores%n", env, agent, episodes,
            java.lang.Runtime.getRuntime().availableProcessors());
        out.flush();
        List<RuntimeBenchmark.Row> rows = RuntimeBenchmark.run(bound, agent, a.agent(), episodes, concurrency);
        out.printf("%12s %14s %16s %8s %18s %8s %8s%n", "concurrency", "bare turns/s", "runtime turns/s", "ratio",
            "no-store turns/s", "ratio", "blocked");
        for (RuntimeBenchmark.Row r : rows) {
          out.printf(Locale.ROOT, "%12d %14.0f %16.0f %8.3f %18.0f %8.3f %8d%n", r.concurrency(),
              r.bareTurnsPerSecond(), r.runtimeTurnsPerSecond(), r.ratio(), r.runtimeNoStoreTurnsPerSecond(),
              r.runtimeNoStoreTurnsPerSecond() / r.bareTurnsPerSecond(), r.blockedThreadWarnings());
        }
        out.println("ratio = runtime turns/s (episode store on) / bare-loop turns/s, measured in this run;"
            + " the second ratio is without the store");
        out.flush();
      }
      return 0;
    }
  }

  /** {@code ludus bench shaping}. */
  @Command(name = "shaping", mixinStandardHelpOptions = true,
      description = "Turns/s with no shaping against a pipeline of five shapers and two transforms.")
  public static class Shaping implements Callable<Integer> {
    /**
     * Five shapers and two transforms that suit guess-number (its actions are {@code <answer>N</answer>}, so
     * {@code format} is meaningful there); any other pipeline with {@code --shaping}.
     */
    static final String DEFAULT_PIPELINE = """
        shapers:
          - name: outcome
          - name: info-gain
            weight: 0.5
          - name: potential
            config: {signal: candidate-count, scale: -0.01}
          - name: format
            weight: 0.1
          - name: length-penalty
            weight: 0
        transforms:
          - name: running-norm
            components: [info-gain]
          - name: clip
            components: [potential]
        """;

    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--agent", defaultValue = "oracle", description = "Agent (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(names = "--shaping", paramLabel = "FILE", description = "The pipeline (default: five shapers, two transforms).")
    String shaping;

    @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", defaultValue = "256", description = "Concurrency (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--group-size", defaultValue = "8", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--rounds", defaultValue = "9",
        description = "Measured rounds, each both sides back to back in alternating order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-seconds", defaultValue = "20",
        description = "Unrecorded rounds of both sides first, for at least this long (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1 || rounds < 1 || concurrency < 1 || groupSize < 1) {
        throw new IllegalArgumentException("--episodes, --rounds, --concurrency and --group-size must be at least 1");
      }
      if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
        throw new IllegalArgumentException("--warmup-seconds must be in [0, 3600], was " + warmupSeconds);
      }
      if (episodes % groupSize != 0) {
        throw new IllegalArgumentException("--episodes (" + episodes + ") must be a multiple of --group-size ("
            + groupSize + ")");
      }
      dev.ludus.runner.shaping.ShapingSpec shapingSpec =
          dev.ludus.runner.shaping.ShapingSpec.read(shaping == null ? DEFAULT_PIPELINE : shaping);
      PrintWriter out = spec.commandLine().getOut();
      // the benchmark starts its own runtimes; the plugins share one context for the whole command
      try (Plugged plugged = Plugged.of(services.registry(), env, null, agent)) {
        BoundEnvironment bound = plugged.env();
        Plugins.ConfiguredAgent a = plugged.agent();
        dev.ludus.shaping.ShapingPipeline pipeline = dev.ludus.runner.shaping.ShapingFactory.build(
            services.registry(), shapingSpec, bound);
        out.printf("bench shaping: %s with agent %s, %d episodes, concurrency %d, groups of %d, store on, %d cores%n",
            env, agent, episodes, concurrency, groupSize, java.lang.Runtime.getRuntime().availableProcessors());
        out.printf("pipeline: %d shapers (%s), %d transforms, combiner %s%n", pipeline.shapers().size(),
            String.join(", ", pipeline.shapers().stream().map(s -> s.name()).toList()), pipeline.transforms().size(),
            pipeline.combinerName());
        out.flush();
        dev.ludus.runner.bench.ShapingBenchmark.Result r = dev.ludus.runner.bench.ShapingBenchmark.run(bound, agent,
            a.agent(), pipeline, episodes, concurrency, groupSize, rounds, warmupSeconds);
        out.printf(Locale.ROOT, "%d warm-up rounds, then %d measured rounds (both sides back to back, order "
            + "alternating)%n", r.warmupRounds(), rounds);
        out.printf(Locale.ROOT, "no shaping: %.0f turns/s (median of %s)%n", r.plainTurnsPerSecond(), fmt(r.plain()));
        out.printf(Locale.ROOT, "shaping:    %.0f turns/s (median of %s)%n", r.shapedTurnsPerSecond(), fmt(r.shaped()));
        out.printf(Locale.ROOT, "ratio shaped/plain: %.3f, the median of the rounds' ratios %s (shaping costs %.1f%% "
            + "of throughput)%n", r.ratio(), fmt3(r.ratios()), 100 * (1 - r.ratio()));
        out.flush();
      }
      return 0;
    }

    private static String fmt3(List<Double> xs) {
      return xs.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList().toString();
    }

    private static String fmt(List<Double> xs) {
      return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }
  }

  /** {@code ludus bench agents}. */
  @Command(name = "agents", mixinStandardHelpOptions = true,
      description = "Agent backends: the openai backend against the mock server, djl-lm batched vs unbatched, and "
          + "djl-lm multi-turn episodes with vs without the cross-turn key/value cache.")
  public static class Agents implements Callable<Integer> {
    @Option(names = "--episodes", defaultValue = "64", description = "djl-lm: concurrent episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--tokens", defaultValue = "16", description = "djl-lm: tokens per reply (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--turns", defaultValue = "6", description = "djl-lm: turns of each multi-turn episode (default: ${DEFAULT-VALUE}).")
    int turns;

    @Option(names = "--only", paramLabel = "PART", description = "Run one part only: openai or djl-lm.")
    String only;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (episodes < 1 || tokens < 1 || turns < 1) {
        throw new IllegalArgumentException("--episodes, --tokens and --turns must be at least 1");
      }
      if (only != null && !only.equals("openai") && !only.equals("djl-lm")) {
        throw new IllegalArgumentException("--only must be openai or djl-lm, was '" + only + "'");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (only == null || only.equals("openai")) {
        out.println("(a) openai backend against the mock server in its own process (200 ms latency, concurrency 1000)");
        out.flush();
        try {
          out.println("    " + dev.ludus.agents.openai.OpenAiThroughputBenchmark.run(
              dev.ludus.agents.openai.OpenAiThroughputBenchmark.Options.defaults()).format().replace("\n", "\n    "));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("the mock server could not be started", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 1;
        }
        out.flush();
      }
      if (only == null || only.equals("djl-lm")) {
        out.println("(b) " + dev.ludus.agents.djl.GenerationBenchmark.run(episodes, tokens).summary());
        out.flush();
        out.println("(c) " + dev.ludus.agents.djl.GenerationBenchmark.multiTurn(episodes, turns, Math.min(tokens, 4))
            .summary());
      }
      out.flush();
      return 0;
    }

  }

  /** {@code ludus bench learner}. */
  @Command(name = "learner", mixinStandardHelpOptions = true,
      description = "Tokens/s of a full GRPO update against a bare DJL forward, backward and SGD step on the same "
          + "batch, the trained-token share and agent tokens/s of packed against per-turn updates, and the "
          + "wall-time split of one default training run.")
  public static class Learner implements Callable<Integer> {
    @Option(names = "--layers", paramLabel = "N", description = "Policy layers (default: the training default's).")
    Integer layers;

    @Option(names = "--width", paramLabel = "N", description = "Policy width (default: the training default's).")
    Integer width;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (default: the training default's).")
    Integer heads;

    @Option(names = "--context", paramLabel = "TOKENS", description = "Policy context (default: the training default's).")
    Integer context;

    @Option(names = "--output-tokens", paramLabel = "N",
        description = "Most tokens per reply (default: the training default's).")
    Integer outputTokens;

    @Option(names = "--tasks", paramLabel = "N",
        description = "Tasks rolled out for the batch (default: the training default's tasks per iteration).")
    Integer tasks;

    @Option(names = "--group-size", paramLabel = "G", description = "Episodes per task (default: the training default's).")
    Integer groupSize;

    @Option(names = "--micro-batch", paramLabel = "N",
        description = "Samples per forward and backward pass, both sides (default: the learner's).")
    Integer microBatch;

    @Option(names = "--warmup", defaultValue = "2", description = "Unrecorded rounds per side (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "7",
        description = "Measured rounds, each one update and one bare step (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--iterations", paramLabel = "N",
        description = "Iterations of the timed training run (default: the training default's).")
    Integer iterations;

    @Option(names = "--only", paramLabel = "PART", description = "Run one part only: ratio or split.")
    String only;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      inRange("--layers", layers, 1, 64);
      inRange("--width", width, 8, 8192);
      inRange("--heads", heads, 1, 128);
      inRange("--context", context, 8, 65536);
      atLeast("--output-tokens", outputTokens, 1);
      atLeast("--tasks", tasks, 1);
      atLeast("--group-size", groupSize, 2);
      atLeast("--micro-batch", microBatch, 1);
      atLeast("--warmup", warmup, 0);
      atLeast("--rounds", rounds, 1);
      atLeast("--iterations", iterations, 1);
      if (only != null && !only.equals("ratio") && !only.equals("split")) {
        throw new IllegalArgumentException("--only must be ratio or split, was '" + only + "'");
      }
      TrainConfig base = TrainConfig.embeddedDefault();
      ObjectNode model = ((ObjectNode) base.model()).deepCopy();
      override(model, "layers", layers);
      override(model, "width", width);
      override(model, "heads", heads);
      override(model, "context", context);
      override(model, "maxNewTokens", outputTokens);
      if (model.get("width").asInt() % model.get("heads").asInt() != 0) {
        throw new IllegalArgumentException("--width (" + model.get("width").asInt() + ") must be a multiple of --heads ("
            + model.get("heads").asInt() + ")");
      }
      if (model.get("maxNewTokens").asInt() >= model.get("context").asInt()) {
        throw new IllegalArgumentException("--output-tokens (" + model.get("maxNewTokens").asInt()
            + ") must be below --context (" + model.get("context").asInt() + ")");
      }
      ObjectNode learner = ((ObjectNode) base.learner()).deepCopy();
      override(learner, "microBatchSize", microBatch);
      TrainConfig c = new TrainConfig(base.env(), base.envConfig(), model, base.shaping(), base.estimator(), base.estimatorConfig(), learner,
          iterations != null ? iterations : base.iterations(), tasks != null ? tasks : base.tasksPerIteration(),
          groupSize != null ? groupSize : base.groupSize(), base.epochs(), base.miniBatches(), base.maxStaleness(),
          base.warmStartEpisodes(), base.warmStartSteps(), base.evalEpisodes(), base.evalTemperature(),
          base.checkpointEvery(), base.concurrency(), base.seed());
      PrintWriter out = spec.commandLine().getOut();
      out.printf("bench learner: %s, policy of %d layers, width %d, %d heads, context %d, replies of up to %d tokens; "
          + "%d cores%n", c.env(), model.get("layers").asInt(), model.get("width").asInt(), model.get("heads").asInt(),
          model.get("context").asInt(), model.get("maxNewTokens").asInt(),
          java.lang.Runtime.getRuntime().availableProcessors());
      out.flush();
      if (only == null || only.equals("ratio")) {
        ratio(out, c);
      }
      if (only == null || only.equals("split")) {
        boolean changed = layers != null || width != null || heads != null || context != null || outputTokens != null
            || tasks != null || groupSize != null || microBatch != null;
        split(out, c, changed);
      }
      return 0;
    }

    private void ratio(PrintWriter out, TrainConfig c) throws InterruptedException {
      out.printf("(a) one update per side per round, %d warm-up and %d measured rounds; rolling out the batch...%n",
          warmup, rounds);
      out.flush();
      LearnerBenchmark.Result r = LearnerBenchmark.run(services.registry(), c, warmup, rounds);
      LearnerBenchmark.Batch b = r.batch();
      out.printf(Locale.ROOT, "    batch: %d samples, every agent turn of %d episodes (%d tasks x %d) rolled out by the"
          + " untrained policy, not synthesized; vocabulary %d%n", b.samples(), b.episodes(), c.tasksPerIteration(),
          c.groupSize(), r.spec().vocabSize());
      out.printf(Locale.ROOT, "    prompts %.1f tokens on average (longest %d), %d output tokens (%.2f per sample), "
          + "%d micro-batches of up to %d, %d padded cells%n", (double) b.promptTokens() / b.samples(),
          b.maxPromptTokens(), b.outputTokens(), (double) b.outputTokens() / b.samples(), b.microBatches(),
          c.learnerConfig().microBatchSize(), b.paddedTokens());
      out.printf("    %-28s %12s %8s  %s%n", "side", "tokens/s", "tokens", "rounds (tokens/s)");
      out.printf(Locale.ROOT, "    %-28s %12.0f %8d  %s%n", "learner (full GRPO update)", r.learnerTokensPerSecond(),
          r.learnerTokens(), fmt(r.learner()));
      out.printf(Locale.ROOT, "    %-28s %12.0f %8d  %s%n", "bare DJL loop", r.bareTokensPerSecond(), r.bareTokens(),
          fmt(r.bare()));
      out.printf(Locale.ROOT, "    ratio learner/bare: %.3f (target at least 0.7); rounds %s%n", r.ratio(),
          r.roundRatios().stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
      out.printf(Locale.ROOT, "    by process CPU time instead of wall time: learner %.0f, bare %.0f tokens per CPU-second, "
          + "ratio %.3f%n", r.learnerTokensPerCpuSecond(), r.bareTokensPerCpuSecond(), r.cpuRatio());
      LearnerBenchmark.Packing p = r.packing();
      out.printf("    packed updates, the same batch and learner in the same rounds (issue 19, point 3):%n");
      out.printf("    %-28s %6s %12s %14s %12s %14s%n", "layout", "rows", "padded cells", "trained share",
          "tokens/s", "tokens/CPU-s");
      out.printf(Locale.ROOT, "    %-28s %6d %12d %13.1f%% %12.0f %14.0f%n", "one row per turn", p.perTurnRows(),
          p.perTurnCells(), 100 * p.perTurnShare(), r.learnerTokensPerSecond(), r.learnerTokensPerCpuSecond());
      out.printf(Locale.ROOT, "    %-28s %6d %12d %13.1f%% %12.0f %14.0f%n", "packed (one row per episode)",
          p.packedRows(), p.packedCells(), 100 * p.packedShare(), p.packedTokensPerSecond(),
          p.packedTokensPerCpuSecond());
      out.printf(Locale.ROOT, "    packed/per-turn: %.2fx agent tokens/s (%.2fx by CPU time); %d of %d episodes needed "
          + "more than one row%n", r.packedSpeedUp(), r.packedCpuSpeedUp(), p.splitEpisodes(), b.episodes());
      out.println("    ratio = output tokens/s of a full GRPO update (GRPO advantages over the groups, samples, "
          + "PolicyLearner.update: PPO loss and its statistics, backward, gradient-norm clip, AdamW) / output tokens/s"
          + " of a bare loop on the same padded micro-batches (forward in training mode, log-softmax + gather, masked"
          + " mean NLL, backward, plain SGD step), the two measured back to back in each round of this run; the"
          + " median of the rounds' ratios (tokens/s: the medians of each side)");
      out.flush();
    }

    private void split(PrintWriter out, TrainConfig c, boolean changed) throws InterruptedException {
      out.printf("(b) wall time of one training run (the embedded default%s, %d iterations; silent)...%n",
          changed ? " with the options above" : "", c.iterations());
      out.flush();
      Trainer.Timings t = LearnerBenchmark.trainingSplit(services.registry(), c);
      out.printf("    %-44s %9s %8s%n", "part", "seconds", "share");
      row(out, "rollout (generation, environment, runtime)", t.rolloutWithoutScoring(), t.total());
      row(out, "scoring (shaping pipeline)", t.scoring(), t.total());
      row(out, "update (advantages, samples, learner)", t.update(), t.total());
      row(out, "evaluation (held-out)", t.evaluation(), t.total());
      row(out, "warm start (oracle episodes, imitation)", t.warmStart(), t.total());
      row(out, "other (set-up, checkpoints, metrics)", t.other(), t.total());
      row(out, "total", t.total(), t.total());
      out.println("    scoring runs inside the rollouts, on event loops as each group completes; it is taken out of the"
          + " rollout's row");
      out.flush();
    }

    private static void row(PrintWriter out, String part, double seconds, double total) {
      out.printf(Locale.ROOT, "    %-44s %9.2f %7.2f%%%n", part, seconds, 100 * seconds / total);
    }

    private static void override(ObjectNode tree, String field, Integer value) {
      if (value != null) {
        tree.put(field, value);
      }
    }

    private static void atLeast(String option, Integer value, int min) {
      if (value != null && value < min) {
        throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
      }
    }

    private static void inRange(String option, Integer value, int min, int max) {
      if (value != null && (value < min || value > max)) {
        throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], was " + value);
      }
    }

    private static String fmt(List<Double> xs) {
      return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }
  }

  /** {@code ludus bench tokenizer}. */
  @Command(name = "tokenizer", mixinStandardHelpOptions = true,
      description = "Encoding tokens/s of the byte-level BPE trained on an environment's text against the word-level "
          + "tokenizer, on fresh episodes of the same environment.")
  public static class Tokenizer implements Callable<Integer> {
    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
    String envConfig;

    @Option(names = "--vocab-size", defaultValue = "512", description = "BPE tokens (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--episodes", defaultValue = "64",
        description = "Fresh oracle and random episodes each, whose text is encoded (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured passes per tokenizer (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1 || rounds < 1) {
        throw new IllegalArgumentException("--episodes and --rounds must be at least 1, were " + episodes + " and "
            + rounds);
      }
      if (vocabSize < 264 || vocabSize > 65_536) {
        throw new IllegalArgumentException("--vocab-size must be in [264, 65536], was " + vocabSize);
      }
      BoundEnvironment bound = Plugins.environment(services.registry(), env, envConfig);
      List<String> corpus = TokenizerCorpus.gather(bound, TokenizerCorpus.Options.defaults());
      List<String> texts = TokenizerCorpus.gather(bound,
          new TokenizerCorpus.Options(episodes, episodes, TokenizerCorpus.SEED + 1_000_000));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("bench tokenizer: %s; BPE of up to %d tokens trained on %d texts of its corpus; encoding the %d texts "
          + "of %d fresh oracle and %d random episodes, best of %d passes; %d cores%n", env, vocabSize, corpus.size(),
          texts.size(), episodes, episodes, rounds, java.lang.Runtime.getRuntime().availableProcessors());
      out.flush();
      out.println(dev.ludus.agents.djl.TokenizerBenchmark.run(corpus, texts, vocabSize, rounds).format());
      out.flush();
      return 0;
    }
  }

  /** {@code ludus bench search}: search-qa's search latency and environment steps/s on a large generated corpus. */
  @Command(name = "search", mixinStandardHelpOptions = true,
      description = "search-qa on a large generated corpus: BM25 search latency p50/p99 and environment steps/s.")
  public static class Search implements Callable<Integer> {
    @Option(names = "--passages", defaultValue = "100000", description = "Corpus size (default: ${DEFAULT-VALUE}).")
    int passages;

    @Option(names = "--queries", defaultValue = "2000", description = "Measured searches of each kind (default: "
        + "${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--episodes", defaultValue = "2000", description = "Oracle episodes per steps/s figure (default: "
        + "${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", defaultValue = "64", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      var options = new dev.ludus.environments.search.SearchQaBenchmark.Options(passages, queries, episodes, concurrency,
          3);
      PrintWriter out = spec.commandLine().getOut();
      out.println("bench search: search-qa, BM25 (k1 0.9, b 0.4), top 3; " + passages + " passages");
      out.flush();
      out.println(dev.ludus.environments.search.SearchQaBenchmark.run(options).format());
      out.flush();
      return 0;
    }
  }

  /** {@code ludus bench faults}: the faulty-server check (issue 16). */
  @Command(name = "faults", mixinStandardHelpOptions = true,
      description = "guess-number episodes by the openai agent (default settings) against the mock server failing on "
          + "40% of requests (500, 429 with Retry-After, malformed JSON, truncated bodies, hangs) and answering 8% "
          + "with tool calls: outcomes, failure reasons, and the server's load while the breaker was open.")
  public static class Faults implements Callable<Integer> {
    @Option(names = "--episodes", defaultValue = "2000", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", defaultValue = "256", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", defaultValue = "0", description = "Run and fault seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1 || concurrency < 1) {
        throw new IllegalArgumentException("--episodes and --concurrency must be at least 1");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("bench faults: %d guess-number episodes at concurrency %d, openai agent with default settings, mock "
          + "server in process: 60%% ok, 10%% 500, 10%% 429 (Retry-After 1 s), 5%% malformed JSON, 5%% truncated "
          + "body, 2%% hang, 8%% tool-call replies; %d cores%n", episodes, concurrency,
          java.lang.Runtime.getRuntime().availableProcessors());
      out.flush();
      var defaults = dev.ludus.runner.bench.FaultBenchmark.Options.defaults();
      var r = dev.ludus.runner.bench.FaultBenchmark.run(services.registry(),
          new dev.ludus.runner.bench.FaultBenchmark.Options(episodes, concurrency, seed, defaults.retryAfter(),
              defaults.agent(), defaults.turnTimeoutMillis()));
      out.println(r.format());
      out.flush();
      return r.notFailedShare() >= 0.95 ? 0 : 1;
    }
  }

  /** {@code ludus bench memory}: heap per idle in-flight episode and per stored turn (issue 16, finding 7). */
  @Command(name = "memory", mixinStandardHelpOptions = true,
      description = "Heap per idle in-flight episode and per stored turn of history: guess-number episodes held at "
          + "once by an agent that stops answering at a chosen turn, measured after full collections.")
  public static class Memory implements Callable<Integer> {
    @Option(names = "--in-flight", defaultValue = "10000", description = "Episodes held at once (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--turns", defaultValue = "15", description = "Turns of history at the second measurement "
        + "(default: ${DEFAULT-VALUE}).")
    int turns;

    @Option(names = "--env", paramLabel = "NAME", description = "Environment (default: guess-number over 1 to 10^9, "
        + "which no episode ends early).")
    String env;

    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
    String envConfig;

    @Option(names = "--agent", paramLabel = "NAME", description = "Agent answering the turns before the hold "
        + "(default: a fixed guess, with the default environment only).")
    String agent;

    @Option(names = "--pause-seconds", defaultValue = "0", description = "Keep the episodes held this long after "
        + "each measurement, to take a heap histogram from outside (default: ${DEFAULT-VALUE}).")
    int pauseSeconds;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (inFlight < 1 || turns < 1 || turns > 500 || pauseSeconds < 0) {
        throw new IllegalArgumentException("--in-flight must be at least 1, --turns in 1..500, --pause-seconds >= 0");
      }
      if (env != null && agent == null) {
        throw new IllegalArgumentException("--env needs --agent (the fixed guess suits guess-number only)");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("bench memory: %d %s episodes in flight (agent %s), idle at turn 0 and at turn %d; max heap %.0f MiB%n",
          inFlight, env == null ? "guess-number" : env, agent == null ? "fixed guess" : agent, turns,
          java.lang.Runtime.getRuntime().maxMemory() / 1048576.0);
      out.flush();
      var r = env == null && agent == null
          ? dev.ludus.runner.bench.MemoryBenchmark.run(services.registry(), inFlight, turns)
          : dev.ludus.runner.bench.MemoryBenchmark.run(services.registry(), env == null ? "guess-number" : env,
              env == null ? "{low: 1, high: 1000000000, maxTurns: 1000}" : envConfig, agent, inFlight, turns,
              pauseSeconds);
      out.println(r.format());
      out.flush();
      return 0;
    }
  }

  /** {@code ludus bench serve}. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "ludus serve's output tokens/s (OpenAI client over loopback HTTP) against in-process batched "
          + "generation of the same model, as a ratio.")
  public static class Serve implements Callable<Integer> {
    @Option(names = "--concurrent", defaultValue = "64", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int concurrent;

    @Option(names = "--tokens", defaultValue = "16", description = "Tokens per completion (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds per side (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(dev.ludus.agents.serve.ServeBenchmark.run(
          new dev.ludus.agents.serve.ServeBenchmark.Options(concurrent, tokens, rounds)).format());
      out.flush();
      return 0;
    }
  }

  /** {@code ludus bench llm-users}. */
  @Command(name = "llm-users", mixinStandardHelpOptions = true,
      description = "Episodes/s of the generic llm-user against the mock server (own process) at a fixed latency, "
          + "against Little's law.")
  public static class LlmUsers implements Callable<Integer> {
    @Option(names = "--concurrency", defaultValue = "512", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--episodes", defaultValue = "2048", description = "Measured episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--turns", defaultValue = "3", description = "Agent messages per episode (default: ${DEFAULT-VALUE}).")
    int turns;

    @Option(names = "--latency", defaultValue = "200", paramLabel = "MS",
        description = "The mock's latency (default: ${DEFAULT-VALUE}).")
    long latency;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      out.println(dev.ludus.runner.bench.LlmUserBenchmark.run(
          new dev.ludus.runner.bench.LlmUserBenchmark.Options(concurrency, episodes, turns, latency)).format());
      out.flush();
      return 0;
    }
  }
}
