package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.bench.LearnerBenchmark;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench learner}. */
@Command(name = "learner", mixinStandardHelpOptions = true,
    description = "Tokens/s of a full GRPO update against a bare DJL forward, backward and SGD step on the same "
        + "batch, the trained-token share and agent tokens/s of packed against per-turn updates, and the "
        + "wall-time split of one default training run.")
public class LearnerBenchCommand implements Callable<Integer> {
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
    BenchOptions.inRange("--layers", layers, 1, 64);
    BenchOptions.inRange("--width", width, 8, 8192);
    BenchOptions.inRange("--heads", heads, 1, 128);
    BenchOptions.inRange("--context", context, 8, 65536);
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

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
  }
}
