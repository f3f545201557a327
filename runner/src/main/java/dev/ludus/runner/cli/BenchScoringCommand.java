package dev.ludus.runner.cli;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.runner.metrics.ProcessCpu;
import dev.ludus.runner.scoring.ScoringClock;
import dev.ludus.runner.learn.LearnerCheckpoint;
import dev.ludus.runner.train.IterationMetrics;
import dev.ludus.runner.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus bench scoring}: the share of a default training iteration's wall time spent in model scoring when
 * {@code answer-probability} is on. Runs {@code ludus train} (the embedded default: guess-number over 1 to 8) for a
 * few iterations with a one-step warm start and the default shapers plus {@code answer-probability} (gold answer:
 * the game's secret {@code target} signal) on a checkpoint of the default policy (by default a short run's own, with
 * the run's tokenizer and context, as a user points the shaper at a run's checkpoint; {@code --scorer fresh}: a fresh
 * model of the same size over a BPE of one sentence of the game, context 256), then reads per iteration
 * from {@code metrics.jsonl} the wall time (rollout wait plus update) and the shaping pipeline's time, and reports
 * the scoring worker's busy time ({@link ScoringClock}) against the iterations' wall time.
 */
@Command(name = "scoring", mixinStandardHelpOptions = true,
    description = "Share of a default training iteration's wall time spent in model scoring with answer-probability "
        + "on (target: at most 25%%).")
public class BenchScoringCommand implements Callable<Integer> {
  @Option(names = "--iterations", defaultValue = "3", description = "Training iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--tasks", defaultValue = "16", description = "Tasks per iteration, each played by a group "
      + "(default: ${DEFAULT-VALUE}, the default run's).")
  int tasks;

  @Option(names = "--group-size", defaultValue = "8", description = "Episodes per task (default: ${DEFAULT-VALUE}, "
      + "the default run's).")
  int groupSize;

  @Option(names = "--eval-episodes", defaultValue = "128", description = "Episodes of each of the run's three "
      + "evaluations, which are not shaped and not timed (default: ${DEFAULT-VALUE}, the default run's).")
  int evalEpisodes;

  @Option(names = "--max-batch", defaultValue = "64", description = "answer-probability's spans per forward pass "
      + "(default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--out", defaultValue = "runs", paramLabel = "DIR", description = "Parent of the run directory "
      + "(default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--scorer", defaultValue = "policy", description = "The scoring model: policy (a checkpoint of a "
      + "short run of the default job, its tokenizer and context) or fresh (a fresh model of the same size over a BPE "
      + "of one sentence of the game, context 256) (default: ${DEFAULT-VALUE}).")
  String scorer;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    BenchOptions.inRange("--iterations", iterations, 1, 100);
    BenchOptions.inRange("--tasks", tasks, 1, 1024);
    BenchOptions.inRange("--group-size", groupSize, 2, 64);
    BenchOptions.inRange("--eval-episodes", evalEpisodes, 1, 4096);
    BenchOptions.inRange("--max-batch", maxBatch, 1, 4096);
    if (!scorer.equals("policy") && !scorer.equals("fresh")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--scorer must be policy or fresh, was '" + scorer + "'");
    }
    PrintWriter w = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("ludus-bench-scoring");
    try {
      return measure(work, w);
    } finally {
      deleteTree(work); // the probe run and the scoring checkpoint; the measured run stays under --out
    }
  }

  /** Makes the scoring checkpoint in {@code work}, runs the measured training and prints the share. */
  private Integer measure(Path work, PrintWriter w) throws IOException {
    Path model;
    if (scorer.equals("policy")) {
      Path probe = work.resolve("probe");
      StringWriter probeLog = new StringWriter();
      int probeCode = Ludus.run(new String[] {"train", "--config", "{iterations: 1, tasksPerIteration: 4, groupSize: "
          + "2, evalEpisodes: 8, warmStartSteps: 1}", "--out", probe.toString(), "--no-progress"}, null, null,
          new PrintWriter(probeLog, true), new PrintWriter(probeLog, true));
      model = probeCode == 0 ? latestPolicy(probe) : null;
      if (model == null) {
        w.println(probeLog);
        w.println("bench scoring: the short run that makes the scoring checkpoint exited " + probeCode);
        w.flush();
        return 1;
      }
    } else {
      model = work.resolve("policy");
      // a checkpoint of the default policy's size (2 layers, width 64, 4 heads) over a BPE of the game's words
      try (LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("Let's play a guessing game. I am thinking of a whole "
              + "number between 1 and 8 (both included). Each turn, guess one number; I will answer 'higher' if my "
              + "number is greater than your guess, 'lower' if it is smaller, or 'correct'. <answer>4</answer> "
              + "Make your first guess Now there's enough information to answer"), 512);
          LanguageModel lm = LanguageModel.create(new LanguageModel.Spec(2, 64, 4, 256, tok.vocabSize()), "cpu", 1)) {
        lm.save(model);
        tok.save(model.resolve(LmTokenizer.FILE_NAME));
      }
    }
    w.println("bench scoring: scoring model " + model);
    String config = String.format(Locale.ROOT, "{iterations: %d, tasksPerIteration: %d, groupSize: %d, "
        + "evalEpisodes: %d, warmStartSteps: 1, shaping: {shapers: ["
        + "{name: outcome}, {name: info-gain, weight: 0.167, config: {signal: candidate-entropy}}, "
        + "{name: answer-probability, weight: 0.1, config: {model: '%s', answerSignal: target, maxBatch: %d}}], timeoutMillis: 600000}}",
        iterations, tasks, groupSize, evalEpisodes, model.toString().replace("'", "''"), maxBatch);
    Files.createDirectories(out);
    List<Path> before;
    try (Stream<Path> s = Files.list(out)) {
      before = s.toList();
    }
    StringWriter log = new StringWriter();
    long busy0 = ScoringClock.busyNanos();
    long cpu0 = ScoringClock.cpuNanos();
    long process0 = ProcessCpu.nanos();
    long items0 = ScoringClock.items();
    long cut0 = ScoringClock.cut();
    long t0 = System.nanoTime();
    int code = Ludus.run(new String[] {"train", "--config", config, "--out", out.toString(), "--no-progress"}, null,
        null, new PrintWriter(log, true), new PrintWriter(log, true));
    double total = (System.nanoTime() - t0) / 1e9;
    double busy = (ScoringClock.busyNanos() - busy0) / 1e9;
    double scoringCpu = (ScoringClock.cpuNanos() - cpu0) / 1e9;
    double processCpu = (ProcessCpu.nanos() - process0) / 1e9;
    long items = ScoringClock.items() - items0;
    long cut = ScoringClock.cut() - cut0;
    if (code != 0) {
      w.println(log);
      w.println("bench scoring: ludus train exited " + code);
      w.flush();
      return 1;
    }
    Path run;
    try (Stream<Path> s = Files.list(out)) {
      run = s.filter(p -> !before.contains(p)).findFirst().orElseThrow();
    }
    double wall = 0;
    double pipeline = 0;
    w.println("bench scoring: " + run);
    w.printf(Locale.ROOT, "%-10s %12s %12s %22s%n", "iteration", "wall s", "update s", "shaping s (summed)");
    int i = 0;
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      IterationMetrics m = IterationMetrics.read(line);
      if (m.iteration() == null || !seen.add(m.iteration())) {
        continue; // one line per update; the iteration's timings repeat on each
      }
      double update = orZero(m.updateSeconds());
      double it = orZero(m.rolloutWaitSeconds()) + update;
      double sc = orZero(m.scoringSeconds());
      wall += it;
      pipeline += sc;
      w.printf(Locale.ROOT, "%-10d %12.2f %12.2f %22.2f%n", ++i, it, update, sc);
    }
    w.printf(Locale.ROOT, "training iterations: %.2f s wall; the shaping pipeline's calls took %.2f s summed over "
        + "groups (they overlap: groups are scored concurrently, so this is no share of the wall time)%n", wall,
        pipeline);
    w.printf(Locale.ROOT, "model scoring (answer-probability's worker busy, %d spans; includes the final evaluation's "
        + "episodes): %.2f s = %.1f%% of the iterations' wall time (target: at most 25%%); whole run %.1f s%n", items,
        busy, 100 * busy / wall, total);
    // on a loaded machine the worker's wall time is mostly waiting for a core; CPU time is what scoring costs
    w.printf(Locale.ROOT, "CPU: the scoring worker's thread %.2f s of the run's %.2f s (%.1f%%, whole run: warm start, "
        + "evaluations and start-up included; with more than one intra-op thread the team's other threads are not "
        + "counted)%n", scoringCpu, processCpu, processCpu > 0 ? 100 * scoringCpu / processCpu : 0);
    // a span cut to the model's context keeps its end: its tokens sit at other positions than in the longer
    // conversation, so it shares no prefix with the episode's other spans and packing saves nothing on it
    w.printf(Locale.ROOT, "spans computed whose prompt was cut to the model's context (so shared with no other): %d%n",
        cut);
    w.printf(Locale.ROOT, "scoring share: %.3f%n", busy / wall);
    w.flush();
    return 0;
  }

  /** The policy of the newest complete checkpoint of the one run under {@code out}, or null. */
  private static Path latestPolicy(Path out) throws IOException {
    try (Stream<Path> runs = Files.list(out)) {
      return runs.map(Trainer::latestCheckpoint).flatMap(java.util.Optional::stream).findFirst()
          .map(step -> step.resolve(LearnerCheckpoint.POLICY)).orElse(null);
    }
  }

  /** Removes the bench's temporary checkpoints. */
  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A timing the metrics line left out counts as none. */
  private static double orZero(Double seconds) {
    return seconds == null ? 0 : seconds;
  }
}
