package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.stats.Statistics;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code ludus experiment retention}: does reinforcement learning keep what a strong warm start gave the policy?
 * Issue 19 found that it did not: from held-out success 0.82 and 0.80 after imitation, 240 updates of outcome-only
 * RL fell to 0.34 and 0.41. Each seed is one ordinary {@link Trainer} run (warm start, then RL) in its own
 * subdirectory {@code seed-N}; the seed sets the tasks and the model's initialization. The held-out success after
 * the warm start and after RL is compared per seed and as mean ± std over seeds; a seed whose success fell by more
 * than the tolerance counts as one that lost what it had.
 *
 * <p>The run directory gets {@code retention.md} (the table), {@code retention.json} (every run's figures and
 * training success curve) and {@code retention.svg} (training success against episodes, each seed faint, with the
 * mean held-out success after the warm start and after RL dashed). Runs go one after another. Not thread-safe.
 */
public final class Retention {

  /**
   * What to run.
   *
   * @param base the training configuration every seed runs (it must have a warm start)
   * @param seeds one run per seed, distinct, 1 to 1000 of them
   * @param tolerance a run lost what it had when its held-out success after RL is more than this below its success
   *     after the warm start; in [0, 1]
   */
  public record Options(TrainConfig base, List<Long> seeds, double tolerance) {
    public Options {
      Objects.requireNonNull(base, "base");
      seeds = List.copyOf(seeds);
      if (seeds.isEmpty() || seeds.size() > 1000) {
        throw new ConfigException("seeds must number 1 to 1000, got " + seeds.size());
      }
      if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
        throw new ConfigException("seeds must be distinct, were " + seeds);
      }
      if (!(tolerance >= 0 && tolerance <= 1)) {
        throw new ConfigException("tolerance must be in [0, 1], was " + tolerance);
      }
      if (base.warmStartEpisodes() < 1) {
        throw new ConfigException("a retention experiment needs a warm start to retain; warmStartEpisodes is "
            + base.warmStartEpisodes());
      }
    }

    public int budget() {
      return base.iterations() * base.tasksPerIteration() * base.groupSize();
    }
  }

  /**
   * One seed's figures.
   *
   * @param warmStart what the warm start reached on its demonstrations
   * @param success the training success of each RL iteration
   */
  public record RunResult(long seed, double before, double afterWarmStart, double afterRl,
      Trainer.WarmStart warmStart, List<Double> success, double seconds, Path directory) {
    /** The change RL made: success after RL minus after the warm start. */
    public double change() {
      return afterRl - afterWarmStart;
    }
  }

  /**
   * The whole experiment: means and sample standard deviations over the seeds.
   *
   * @param lost seeds whose success fell by more than the tolerance
   */
  public record Summary(Options options, List<RunResult> runs, double meanWarmStart, double stdWarmStart,
      double meanAfterRl, double stdAfterRl, double meanChange, double stdChange, int lost) {
    /** Whether RL kept what the warm start gave: no seed lost more than the tolerance. */
    public boolean retained() {
      return lost == 0;
    }
  }

  private Retention() {}

  /**
   * The embedded experiment: guess-number over 1 to 16 with 5 guesses (binary search always wins; an untrained
   * policy wins about one game in eight), outcome reward only, a warm start run until the oracle's turns are fitted,
   * then the main job's RL (IGPO, 30 iterations of 16 tasks × 8 episodes, the learner's defaults), 128 held-out
   * episodes per evaluation; seeds 1 to 3. Issue 19's failing case, with a strong warm start.
   */
  public static Options defaults() {
    TrainConfig base = TrainConfig.read("""
        envConfig: {low: 1, high: 16, maxTurns: 5}
        model:
          context: 224
          vocabulary: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
            higher, lower, correct, my, number, is, greater, smaller, than, guess, guesses, left, first, between, and,
            answer, "<", ">", "/", ".", ":", "!", found, it, in]
        shaping: {shapers: [{name: outcome}]}
        checkpointEvery: 0
        """);
    return new Options(base, List.of(1L, 2L, 3L), 0.05);
  }

  /** The configuration of the run of {@code seed}: the base with its run seed and model seed set. */
  static TrainConfig configOf(Options options, long seed) {
    return options.base().with(null, seed).withModelSeed(seed);
  }

  /** Checks the training configuration, building nothing, so bad input fails before any run. */
  public static void validate(Registry registry, Options options) {
    new Trainer(registry, configOf(options, options.seeds().get(0)), null, new PrintWriter(Writer.nullWriter()))
        .validate();
  }

  /** Runs every seed into {@code directory}, a line per run to {@code out}, then writes the table, JSON and plot. */
  public static Summary run(Registry registry, Options options, Path directory, String device, PrintWriter out)
      throws InterruptedException {
    validate(registry, options);
    List<RunResult> runs = new ArrayList<>();
    for (long seed : options.seeds()) {
      Path dir = directory.resolve("seed-" + seed);
      Experiments.Run run = Experiments.train(registry, configOf(options, seed), dir, device);
      Trainer.Result r = run.result();
      RunResult result = new RunResult(seed, r.successBefore(), r.successAfterWarmStart(), r.successAfter(),
          r.warmStart(), run.success(), r.seconds(), dir);
      runs.add(result);
      out.printf(Locale.ROOT, "seed %-3d held-out success %.3f before, %.3f after the warm start (%s), %.3f after RL "
          + "(%+.3f, %.0f s)%n", seed, r.successBefore(), r.successAfterWarmStart(), warmStart(r.warmStart()),
          r.successAfter(), result.change(), r.seconds());
      out.flush();
    }
    Summary summary = summarize(options, runs);
    write(directory, summary);
    return summary;
  }

  static Summary summarize(Options options, List<RunResult> runs) {
    double[] warm = runs.stream().mapToDouble(RunResult::afterWarmStart).toArray();
    double[] after = runs.stream().mapToDouble(RunResult::afterRl).toArray();
    double[] change = runs.stream().mapToDouble(RunResult::change).toArray();
    int lost = (int) runs.stream().filter(r -> r.change() < -options.tolerance() - 1e-12).count();
    return new Summary(options, List.copyOf(runs), Statistics.mean(warm), Statistics.sampleStd(warm),
        Statistics.mean(after), Statistics.sampleStd(after), Statistics.mean(change), Statistics.sampleStd(change),
        lost);
  }

  private static String warmStart(Trainer.WarmStart w) {
    return w == null ? "no demonstrations"
        : String.format(Locale.ROOT, "%d steps, token accuracy %.3f", w.steps(), w.tokenAccuracy());
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    Options o = s.options();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Retention: %s, %s, %d seeds, %d RL iterations (%d training episodes, at most "
            + "%d updates per iteration), held-out success on %d episodes%n%n", o.base().env(), o.base().estimator(),
        o.seeds().size(), o.base().iterations(), o.budget(), o.base().epochs() * o.base().miniBatches(),
        o.base().evalEpisodes()));
    b.append("| seed | before | after warm start | warm start | after RL | change |\n|---|---|---|---|---|---|\n");
    for (RunResult r : s.runs()) {
      b.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %s | %.3f | %+.3f |%n", r.seed(), r.before(),
          r.afterWarmStart(), warmStart(r.warmStart()), r.afterRl(), r.change()));
    }
    b.append(String.format(Locale.ROOT, "| mean ± std | | %.3f ± %.3f | | %.3f ± %.3f | %+.3f ± %.3f |%n",
        s.meanWarmStart(), s.stdWarmStart(), s.meanAfterRl(), s.stdAfterRl(), s.meanChange(), s.stdChange()));
    b.append(String.format(Locale.ROOT, "%nRetained (no seed lost more than %.2f of its held-out success): %s "
        + "(%d of %d lost)%n", o.tolerance(), s.retained() ? "yes" : "no", s.lost(), s.runs().size()));
    return b.toString();
  }

  static String plot(Summary s) {
    Options o = s.options();
    return Experiments.plot(String.format(Locale.ROOT, "Training success after the warm start, %s (%d seeds)",
        o.base().env(), o.seeds().size()), List.of(new Experiments.Curves("training (sampled)",
        s.runs().stream().map(RunResult::success).toList())), o.base().iterations(), o.budget(), List.of(
        new Experiments.Level(s.meanWarmStart(), String.format(Locale.ROOT, "held-out, warm %.2f", s.meanWarmStart())),
        new Experiments.Level(s.meanAfterRl(), String.format(Locale.ROOT, "held-out, RL %.2f", s.meanAfterRl()))));
  }

  private static void write(Path directory, Summary s) {
    ObjectNode root = Json.JSON.createObjectNode();
    root.put("env", s.options().base().env());
    root.put("estimator", s.options().base().estimator());
    root.put("budget", s.options().budget());
    root.put("tolerance", s.options().tolerance());
    root.put("meanAfterWarmStart", s.meanWarmStart()).put("stdAfterWarmStart", s.stdWarmStart())
        .put("meanAfterRl", s.meanAfterRl()).put("stdAfterRl", s.stdAfterRl()).put("meanChange", s.meanChange())
        .put("stdChange", s.stdChange()).put("lost", s.lost()).put("retained", s.retained());
    ArrayNode runs = root.putArray("runs");
    for (RunResult r : s.runs()) {
      ObjectNode n = runs.addObject();
      n.put("seed", r.seed()).put("before", r.before()).put("afterWarmStart", r.afterWarmStart())
          .put("afterRl", r.afterRl()).put("change", r.change()).put("seconds", r.seconds())
          .put("directory", directory.relativize(r.directory()).toString());
      n.set("warmStart", Json.JSON.valueToTree(r.warmStart()));
      ArrayNode curve = n.putArray("trainingSuccess");
      r.success().forEach(curve::add);
    }
    Experiments.write(directory, "retention", table(s), plot(s), root);
  }
}
