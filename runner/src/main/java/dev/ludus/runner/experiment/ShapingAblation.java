package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ludus experiment shaping-ablation}: the same environment, model and episode budget trained under
 * several shapings (arms), each with several seeds, compared on how many training episodes it takes to reach a
 * success threshold and on the final held-out success. The miniature of what IGPO (Wang et al., 2025) and Nous
 * report: dense turn-level rewards learn faster than the sparse outcome alone.
 *
 * <p>Design. Each (arm, seed) is one ordinary {@link Trainer} run in its own subdirectory
 * {@code ARM/seed-N} (with its config, episodes, metrics, checkpoints and report); the seed sets both the run
 * seed (the tasks) and the model's initialization, and is the same across arms, so the arms differ only in
 * their shaping. The training success of iteration {@code i} is the fraction of its rollout episodes that
 * succeeded (read back from the run's {@code metrics.jsonl}); a run reaches the threshold at the first
 * iteration whose success, averaged over the last {@code window} iterations, is at least the threshold, and
 * its episodes-to-threshold counts the training episodes played up to and including that iteration (the warm
 * start's demonstrations, the same for every arm, are not counted). A run that never reaches it is censored at
 * the budget: it counts as the whole budget in the mean (so the mean is a lower bound, marked with
 * {@code ≥}) and the table says how many runs reached. Runs go one after another (each uses every core).
 *
 * <p>The run directory gets {@code ablation.md} (the table), {@code ablation.json} (every run's success curve
 * and figures) and {@code ablation.svg} (mean training success against episodes per arm, each seed faint).
 * Not thread-safe.
 */
public final class ShapingAblation {
  /** The first arm is the baseline the others are compared with. */
  public record Arm(String name, JsonNode shaping) {
    public Arm {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new ConfigException("an arm's name must be letters, digits, '.', '_' or '-', was '" + name + "'");
      }
    }
  }

  /**
   * What to run.
   *
   * @param base the training configuration every run shares; its shaping is replaced by each arm's
   * @param arms two or more, names distinct; the first is the baseline
   * @param seeds one run per arm and seed
   * @param threshold the training success to reach, in (0, 1]
   * @param window iterations the success is averaged over before comparing with the threshold, at least 1
   */
  public record Options(TrainConfig base, List<Arm> arms, List<Long> seeds, double threshold, int window) {
    public Options {
      Objects.requireNonNull(base, "base");
      arms = List.copyOf(arms);
      seeds = List.copyOf(seeds);
      if (arms.size() < 2) {
        throw new ConfigException("an ablation needs at least 2 arms, got " + arms.size());
      }
      Set<String> names = new LinkedHashSet<>();
      for (Arm a : arms) {
        if (!names.add(a.name())) {
          throw new ConfigException("arm names must be distinct; '" + a.name() + "' appears twice");
        }
      }
      if (seeds.isEmpty() || seeds.size() > 1000) {
        throw new ConfigException("seeds must number 1 to 1000, got " + seeds.size());
      }
      if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
        throw new ConfigException("seeds must be distinct, were " + seeds);
      }
      if (!(threshold > 0 && threshold <= 1)) {
        throw new ConfigException("threshold must be in (0, 1], was " + threshold);
      }
      if (window < 1 || window > base.iterations()) {
        throw new ConfigException("window must be in [1, iterations = " + base.iterations() + "], was " + window);
      }
    }

    public int episodesPerIteration() {
      return base.tasksPerIteration() * base.groupSize();
    }

    public int budget() {
      return base.iterations() * episodesPerIteration();
    }
  }

  /**
   * One run's figures.
   *
   * @param success the training success of each iteration
   * @param episodesToThreshold training episodes until the threshold was reached, or -1 if it never was
   * @param successBefore held-out success before any training (the untrained policy, greedy by default)
   * @param finalSuccess held-out success at the end
   * @param turns the mean turns per training episode of each iteration
   * @param raw per ledger source, each iteration's mean raw value per episode (before transforms and weights)
   */
  public record RunResult(String arm, long seed, List<Double> success, int episodesToThreshold, double successBefore,
      double finalSuccess, double seconds, Path directory, List<Double> turns, Map<String, List<Double>> raw) {
    public RunResult {
      success = List.copyOf(success);
      turns = List.copyOf(turns);
      raw = Map.copyOf(raw);
    }

    /** A run without per-iteration turns or raw components. */
    public RunResult(String arm, long seed, List<Double> success, int episodesToThreshold, double successBefore,
        double finalSuccess, double seconds, Path directory) {
      this(arm, seed, success, episodesToThreshold, successBefore, finalSuccess, seconds, directory, List.of(),
          Map.of());
    }

    public boolean reached() {
      return episodesToThreshold >= 0;
    }
  }

  /**
   * One arm's figures over its seeds. Censored runs count as the budget in {@code meanEpisodes}.
   *
   * @param ratio this arm's mean episodes to threshold over the baseline's (1 for the baseline itself)
   */
  public record ArmSummary(String arm, int runs, int reached, double meanEpisodes, double stdEpisodes,
      double meanFinal, double stdFinal, double ratio) {
    public boolean censored() {
      return reached < runs;
    }
  }

  /** The whole experiment. */
  public record Summary(Options options, List<RunResult> runs, List<ArmSummary> arms) {
    /** Whether every non-baseline arm needs at most two thirds of the baseline's episodes (the target). */
    public boolean targetMet() {
      return arms.stream().skip(1).allMatch(a -> a.ratio() <= 2.0 / 3.0);
    }
  }

  private ShapingAblation() {}

  /**
   * The embedded ablation: exactly the main job, {@code ./ludus train} ({@link TrainConfig#embeddedDefault()}:
   * guess-number 1 to 8 in 4 guesses, the same model, warm start, IGPO estimator and 30 iterations of 16
   * tasks × 8 episodes), with 64 held-out episodes per evaluation and checkpoints only at the end; arms
   * {@code outcome} (the outcome only, where IGPO reduces to GRPO broadcast to every turn) and
   * {@code turn-level} (the main job's own shaping: the outcome plus {@code info-gain}, weight 0.2).
   */
  public static Options defaults() {
    TrainConfig e = TrainConfig.embeddedDefault();
    TrainConfig base = new TrainConfig(e.env(), e.envConfig(), e.model(), e.shaping(), e.estimator(),
        e.estimatorConfig(), e.learner(), e.iterations(), e.tasksPerIteration(), e.groupSize(), e.epochs(),
        e.miniBatches(), e.maxStaleness(), e.warmStartEpisodes(), e.warmStartSteps(), 64, e.evalTemperature(), 0,
        e.concurrency(), e.seed());
    return new Options(base, List.of(new Arm("outcome", yaml("shapers: [{name: outcome}]")),
        new Arm("turn-level", e.shaping())), List.of(1L, 2L, 3L, 4L, 5L), 0.7, 3);
  }

  /** Checks every arm's training configuration, building nothing, so bad input fails before any run. */
  public static void validate(Registry registry, Options options) {
    for (Arm a : options.arms()) {
      try {
        new Trainer(registry, configOf(options, a, options.seeds().get(0)), null, new PrintWriter(Writer.nullWriter()))
            .validate();
      } catch (ConfigException e) {
        throw new ConfigException("arm '" + a.name() + "': " + e.getMessage());
      }
    }
  }

  /**
   * Runs every arm with every seed into {@code directory}, printing a line per run to {@code out}, then writes
   * the table, the JSON and the plot.
   */
  public static Summary run(Registry registry, Options options, Path directory, String device, PrintWriter out)
      throws InterruptedException {
    validate(registry, options);
    Summary summary = summarize(options, runAll(registry, options, directory, device, out));
    write(directory, summary);
    return summary;
  }

  /** Runs every arm with every seed (seed by seed, the arms in order) into {@code directory}; writes no table. */
  static List<RunResult> runAll(Registry registry, Options options, Path directory, String device, PrintWriter out)
      throws InterruptedException {
    List<RunResult> runs = new ArrayList<>();
    for (long seed : options.seeds()) {
      for (Arm arm : options.arms()) {
        runs.add(runOne(registry, options, arm, seed, directory, device, out));
      }
    }
    return runs;
  }

  private static RunResult runOne(Registry registry, Options options, Arm arm, long seed, Path directory,
      String device, PrintWriter out) throws InterruptedException {
    Path dir = directory.resolve(arm.name()).resolve("seed-" + seed);
    Experiments.Run run = Experiments.train(registry, configOf(options, arm, seed), dir, device);
    Trainer.Result r = run.result();
    int episodes = episodesToThreshold(run.success(), options.threshold(), options.window(),
        options.episodesPerIteration());
    RunResult result = new RunResult(arm.name(), seed, run.success(), episodes, r.successBefore(), r.successAfter(),
        r.seconds(), dir, run.turns(), run.raw());
    out.printf(Locale.ROOT, "%-12s seed %-3d %s; held-out success %.3f -> %.3f (%.0f s)%n", arm.name(), seed,
        result.reached() ? "reached " + options.threshold() + " after " + episodes + " episodes"
            : "did not reach " + options.threshold() + " in " + options.budget() + " episodes",
        r.successBefore(), r.successAfter(), r.seconds());
    out.flush();
    return result;
  }

  static TrainConfig configOf(Options options, Arm arm, long seed) {
    return options.base().withShaping(arm.shaping()).with(null, seed).withModelSeed(seed);
  }

  /**
   * Training episodes until the success averaged over the last {@code window} iterations (fewer at the start)
   * first reaches {@code threshold}, or -1.
   */
  static int episodesToThreshold(List<Double> success, double threshold, int window, int episodesPerIteration) {
    for (int i = 0; i < success.size(); i++) {
      int from = Math.max(0, i - window + 1);
      double sum = 0;
      for (int j = from; j <= i; j++) {
        sum += success.get(j);
      }
      if (i + 1 >= window && sum / (i - from + 1) >= threshold - 1e-12) {
        return (i + 1) * episodesPerIteration;
      }
    }
    return -1;
  }

  static Summary summarize(Options options, List<RunResult> runs) {
    List<ArmSummary> arms = new ArrayList<>();
    double baseline = Double.NaN;
    for (Arm arm : options.arms()) {
      List<RunResult> mine = runs.stream().filter(r -> r.arm().equals(arm.name())).toList();
      double[] episodes = mine.stream().mapToDouble(r -> r.reached() ? r.episodesToThreshold() : options.budget())
          .toArray();
      double[] finals = mine.stream().mapToDouble(RunResult::finalSuccess).toArray();
      double mean = Statistics.mean(episodes);
      if (Double.isNaN(baseline)) {
        baseline = mean;
      }
      arms.add(new ArmSummary(arm.name(), mine.size(), (int) mine.stream().filter(RunResult::reached).count(), mean,
          Statistics.sampleStd(episodes), Statistics.mean(finals), Statistics.sampleStd(finals), mean / baseline));
    }
    return new Summary(options, List.copyOf(runs), List.copyOf(arms));
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    Options o = s.options();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Shaping ablation: %s, %d seeds, budget %d training episodes "
            + "(%d iterations x %d), threshold: training success >= %.2f averaged over %d iteration%s%n%n",
        o.base().env(), o.seeds().size(), o.budget(), o.base().iterations(), o.episodesPerIteration(),
        o.threshold(), o.window(), o.window() == 1 ? "" : "s"));
    b.append("| arm | episodes to threshold (mean ± std) | reached | vs ").append(s.arms().get(0).arm())
        .append(" | final held-out success (mean ± std) |\n|---|---|---|---|---|\n");
    for (ArmSummary a : s.arms()) {
      b.append(String.format(Locale.ROOT, "| %s | %s%.0f ± %.0f | %d/%d | %.2f | %.3f ± %.3f |%n", a.arm(),
          a.censored() ? "≥ " : "", a.meanEpisodes(), a.stdEpisodes(), a.reached(), a.runs(), a.ratio(),
          a.meanFinal(), a.stdFinal()));
    }
    b.append(String.format(Locale.ROOT, "%nTarget (every shaped arm needs at most 2/3 of the %s arm's episodes): %s%n",
        s.arms().get(0).arm(), s.targetMet() ? "met" : "not met"));
    if (s.arms().stream().anyMatch(ArmSummary::censored)) {
      b.append("≥: some runs never reached the threshold and count as the whole budget, so the mean is a lower bound.\n");
    }
    return b.toString();
  }

  /** Mean training success per arm against training episodes, each seed's curve faint; the threshold dashed. */
  static String plot(Summary s) {
    Options o = s.options();
    List<Experiments.Curves> families = new ArrayList<>();
    for (ArmSummary a : s.arms()) {
      families.add(new Experiments.Curves(a.arm(), s.runs().stream().filter(r -> r.arm().equals(a.arm()))
          .map(RunResult::success).toList()));
    }
    return Experiments.plot(String.format(Locale.ROOT, "Training success, %s (%d seeds)", o.base().env(),
        o.seeds().size()), families, o.base().iterations(), o.budget(),
        List.of(new Experiments.Level(o.threshold(), String.format(Locale.ROOT, "threshold %.2f", o.threshold()))));
  }

  static void write(Path directory, Summary s) {
    ObjectNode root = Json.JSON.createObjectNode();
    root.put("env", s.options().base().env());
    root.put("threshold", s.options().threshold());
    root.put("window", s.options().window());
    root.put("episodesPerIteration", s.options().episodesPerIteration());
    root.put("budget", s.options().budget());
    root.put("targetMet", s.targetMet());
    ArrayNode arms = root.putArray("arms");
    for (ArmSummary a : s.arms()) {
      ObjectNode n = arms.addObject();
      n.put("arm", a.arm());
      n.set("shaping", s.options().arms().stream().filter(x -> x.name().equals(a.arm())).findFirst().orElseThrow()
          .shaping());
      n.put("runs", a.runs()).put("reached", a.reached()).put("meanEpisodesToThreshold", a.meanEpisodes())
          .put("stdEpisodesToThreshold", a.stdEpisodes()).put("meanFinalSuccess", a.meanFinal())
          .put("stdFinalSuccess", a.stdFinal()).put("ratioToBaseline", a.ratio());
    }
    ArrayNode runs = root.putArray("runs");
    for (RunResult r : s.runs()) {
      ObjectNode n = runs.addObject();
      n.put("arm", r.arm()).put("seed", r.seed()).put("episodesToThreshold", r.episodesToThreshold())
          .put("successBefore", r.successBefore()).put("finalSuccess", r.finalSuccess()).put("seconds", r.seconds())
          .put("directory", directory.relativize(r.directory()).toString());
      ArrayNode curve = n.putArray("trainingSuccess");
      r.success().forEach(curve::add);
    }
    Experiments.write(directory, "ablation", table(s), plot(s), root);
  }

  static JsonNode yaml(String text) {
    return Experiments.yaml(text);
  }
}
