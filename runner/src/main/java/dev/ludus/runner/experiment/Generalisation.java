package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.stats.Statistics;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.metrics.ProcessCpu;
import dev.ludus.runner.train.EvaluationMetrics;
import dev.ludus.runner.train.Recipe;
import dev.ludus.runner.train.ResolvedConfig;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ludus experiment generalisation}: does one recipe train every environment? Each environment is trained by
 * {@code ludus train --env NAME} as is (the {@link Recipe}, no per-environment tuning), once per seed, and the table
 * gives held-out success before training, after the warm start and after RL (mean ± std over seeds), with the wall
 * and CPU time of a run, against issue 19's targets: RL never ends below the warm start, at least doubles the
 * untrained success, ends at or above 0.8 where the oracle is perfect, each run within 10 minutes.
 *
 * <p>The environments are instances: a name and the settings of its size ({@code envConfig}), the same for every
 * seed. The default instances ({@value #INSTANCES}) are each family's small end, so that a run fits in minutes on
 * two cores; a plugin's environment joins the table when it is registered (the Mastermind plugin of
 * {@code examples/plugin} with {@code ludus --plugins}). The run directory gets a subdirectory per environment and
 * seed (an ordinary training run), and {@code generalisation.md}, {@code generalisation.json} and
 * {@code generalisation.svg} (training success per environment, each seed faint), rewritten after each environment.
 * Runs go one after another, so the
 * CPU time of a run is the JVM's process CPU time over it. Not thread-safe.
 */
public final class Generalisation {
  /** The resource holding the default instances. */
  static final String INSTANCES = "generalisation.yaml";
  /** The longest run the target allows, in seconds. */
  public static final double TIME_LIMIT_SECONDS = 600;

  /**
   * One environment of the table.
   *
   * @param env the registered environment
   * @param envConfig its settings (over its defaults); null or empty for its defaults
   */
  public record Instance(String env, JsonNode envConfig) {
    public Instance {
      Objects.requireNonNull(env, "env");
      envConfig = envConfig == null || envConfig.isNull() ? Json.YAML.createObjectNode() : envConfig;
    }

    /** The settings as inline YAML (JSON), as {@code --env-config} takes them. */
    String envConfigText() {
      return envConfig.toString();
    }
  }

  /**
   * What to run.
   *
   * @param instances the environments, in table order, distinct names
   * @param seeds one run per seed per environment, distinct, 1 to 1000 of them
   * @param iterations RL iterations of every run, or null for the recipe's
   * @param config a configuration laid over every run's recipe, as {@code ludus train --config} takes it (a path or
   *     inline YAML or JSON, e.g. {@code '{selfPlay: shared}'} for an arm of a comparison), or null for the recipe alone
   */
  public record Options(List<Instance> instances, List<Long> seeds, Integer iterations, String config) {
    /** The recipe alone, nothing laid over it. */
    public Options(List<Instance> instances, List<Long> seeds, Integer iterations) {
      this(instances, seeds, iterations, null);
    }

    public Options {
      instances = List.copyOf(instances);
      seeds = List.copyOf(seeds);
      if (instances.isEmpty()) {
        throw new ConfigException("generalisation: name at least one environment");
      }
      if (new LinkedHashSet<>(instances.stream().map(Instance::env).toList()).size() != instances.size()) {
        throw new ConfigException("generalisation: each environment once, got " + instances.stream()
            .map(Instance::env).toList());
      }
      if (seeds.isEmpty() || seeds.size() > 1000) {
        throw new ConfigException("seeds must number 1 to 1000, got " + seeds.size());
      }
      if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
        throw new ConfigException("seeds must be distinct, were " + seeds);
      }
      if (iterations != null && iterations < 1) {
        throw new ConfigException("iterations must be at least 1, was " + iterations);
      }
    }
  }

  /**
   * One run's figures.
   *
   * @param returns the held-out mean returns, or null where the run's {@code evaluations.jsonl} did not record them
   * @param failed held-out episodes that failed (an error or a time limit), over the three evaluations
   */
  public record RunResult(String env, long seed, double before, double afterWarmStart, double afterRl,
      boolean warmStart, double seconds, double cpuSeconds, List<Double> success, Path directory, Returns returns,
      int failed) {
    /** Whether a return differs from the success share at the same evaluation: the reward is a score. */
    boolean scores() {
      return returns != null && (Math.abs(returns.before() - before) > 1e-9
          || Math.abs(returns.afterWarmStart() - afterWarmStart) > 1e-9 || Math.abs(returns.afterRl() - afterRl) > 1e-9);
    }
  }

  /**
   * Held-out mean returns (the environment's own reward summed over an episode) of one run: what a score environment
   * (deal-or-no-deal's points) is measured by, where success says only whether an episode ended well (a deal).
   */
  public record Returns(double before, double afterWarmStart, double afterRl) {}

  /**
   * One environment's row: means and sample standard deviations over its seeds, and the targets.
   *
   * @param oracleSuccess the oracle's success as the recipe measured it (NaN without an oracle)
   * @param oracleReturn the oracle's mean return as the recipe measured it (NaN without an oracle)
   * @param returns the mean held-out returns over the seeds, or null where a run did not record them
   */
  public record Row(Instance instance, List<RunResult> runs, double oracleSuccess, double meanBefore,
      double stdBefore, double meanWarm, double stdWarm, double meanRl, double stdRl, double meanSeconds,
      double meanCpuSeconds, boolean warmStart, double oracleReturn, Returns returns) {
    /**
     * Whether the environment's reward is a score rather than its success: on some seed a held-out mean return
     * differs from the success share. The table then gives the returns as well, with the same targets on them.
     */
    public boolean scores() {
      return returns != null && runs.stream().anyMatch(RunResult::scores);
    }

    /** RL's return ended at or above the warm start's on every seed. */
    public boolean keptWarmStartReturn() {
      return runs.stream().allMatch(r -> r.returns().afterRl() >= r.returns().afterWarmStart() - 1e-9);
    }

    /** RL's mean return is at least twice the untrained one (and above it). */
    public boolean doubledReturn() {
      return returns.afterRl() >= 2 * returns.before() && returns.afterRl() > returns.before();
    }

    /** RL's mean return is at least 0.8 of the oracle's; true where the oracle's is unknown or not positive. */
    public boolean reachedOracleReturn() {
      return !(oracleReturn > 0) || returns.afterRl() >= 0.8 * oracleReturn;
    }

    /** Held-out episodes that failed over every run and evaluation. */
    public int failed() {
      return runs.stream().mapToInt(RunResult::failed).sum();
    }

    /** RL ended at or above the warm start on every seed. */
    public boolean keptWarmStart() {
      return runs.stream().allMatch(r -> r.afterRl() >= r.afterWarmStart() - 1e-9);
    }

    /** RL's mean is at least twice the untrained mean (and above it). */
    public boolean doubled() {
      return meanRl >= 2 * meanBefore && meanRl > meanBefore;
    }

    /** At or above 0.8 where the oracle is perfect; true where it is not (the target does not apply). */
    public boolean reachedOracleTarget() {
      return !(oracleSuccess >= 1 - 1e-9) || meanRl >= 0.8;
    }

    /** Every run within {@link #TIME_LIMIT_SECONDS}. */
    public boolean inTime() {
      return runs.stream().allMatch(r -> r.seconds() <= TIME_LIMIT_SECONDS);
    }
  }

  /** The whole table (or the rows done so far). */
  public record Summary(Options options, List<Row> rows) {
    public Summary {
      rows = List.copyOf(rows);
    }
  }

  private Generalisation() {}

  /** The default instances ({@value #INSTANCES}) of the environments {@code registry} has, in the file's order. */
  public static List<Instance> defaultInstances(Registry registry) {
    List<Instance> out = new ArrayList<>();
    instanceTable().forEach((name, config) -> {
      if (registry.environments().names().contains(name)) {
        out.add(new Instance(name, config));
      }
    });
    return out;
  }

  /** The instances for {@code names}: each name's default instance, or its environment's defaults if none. */
  public static List<Instance> instances(List<String> names) {
    Map<String, JsonNode> table = instanceTable();
    return names.stream().map(n -> new Instance(n, table.get(n))).toList();
  }

  static Map<String, JsonNode> instanceTable() {
    try (InputStream in = Generalisation.class.getResourceAsStream(INSTANCES)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + INSTANCES + " is missing from the runner's jar");
      }
      JsonNode tree = Json.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Map<String, JsonNode> out = new LinkedHashMap<>();
      tree.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resolved configuration of {@code instance}'s run with {@code seed}: the recipe with the run and model seed. */
  static ResolvedConfig configOf(Registry registry, Options options, Instance instance, long seed) {
    ObjectNode cli = Json.YAML.createObjectNode().put("seed", seed);
    if (options.iterations() != null) {
      cli.put("iterations", options.iterations());
    }
    cli.putObject("model").put("seed", seed);
    return Recipe.resolve(registry, new Recipe.Request(instance.env(), instance.envConfigText(), options.config(), cli));
  }

  /** Checks every environment's configuration, building nothing, so bad input fails before any run. */
  public static void validate(Registry registry, Options options) {
    for (Instance instance : options.instances()) {
      TrainConfig c = configOf(registry, options, instance, options.seeds().get(0)).config();
      new Trainer(registry, c, null, new PrintWriter(Writer.nullWriter())).validate();
    }
  }

  /** Runs every environment and seed into {@code directory}, a line per run to {@code out}, then writes the table. */
  public static Summary run(Registry registry, Options options, Path directory, String device, PrintWriter out)
      throws InterruptedException {
    validate(registry, options);
    List<Row> rows = new ArrayList<>();
    for (Instance instance : options.instances()) {
      List<RunResult> runs = new ArrayList<>();
      double oracleSuccess = Double.NaN;
      double oracleReturn = Double.NaN;
      for (long seed : options.seeds()) {
        ResolvedConfig resolved = configOf(registry, options, instance, seed);
        if (resolved.facts() != null) {
          oracleSuccess = resolved.facts().oracleSuccess();
          oracleReturn = resolved.facts().oracleReturn();
        }
        Path dir = directory.resolve(instance.env()).resolve("seed-" + seed);
        long cpu = ProcessCpu.nanos();
        Experiments.Run run = Experiments.train(registry, resolved.config(), dir, device);
        double cpuSeconds = (ProcessCpu.nanos() - cpu) / 1e9;
        Trainer.Result r = run.result();
        List<EvaluationMetrics> evaluations = evaluations(dir);
        RunResult result = new RunResult(instance.env(), seed, r.successBefore(), r.successAfterWarmStart(),
            r.successAfter(), resolved.config().warmStartEpisodes() > 0, r.seconds(), cpuSeconds, run.success(), dir,
            returns(evaluations), evaluations.stream().mapToInt(e -> e.failed() == null ? 0 : e.failed()).sum());
        runs.add(result);
        out.printf(Locale.ROOT, "%-18s seed %-3d held-out success %.3f before, %.3f after the warm start, %.3f after RL "
                + "(%.0f s, %.0f s CPU)%s%n", instance.env(), seed, r.successBefore(), r.successAfterWarmStart(),
            r.successAfter(), r.seconds(), cpuSeconds, result.scores() ? String.format(Locale.ROOT,
                "; mean return %.3f, %.3f, %.3f", result.returns().before(), result.returns().afterWarmStart(),
                result.returns().afterRl()) : "");
        out.flush();
      }
      rows.add(row(instance, runs, oracleSuccess, oracleReturn));
      write(directory, new Summary(options, rows)); // after each environment, so a stopped run leaves its table
    }
    return new Summary(options, rows);
  }

  static Row row(Instance instance, List<RunResult> runs, double oracleSuccess, double oracleReturn) {
    double[] before = runs.stream().mapToDouble(RunResult::before).toArray();
    double[] warm = runs.stream().mapToDouble(RunResult::afterWarmStart).toArray();
    double[] rl = runs.stream().mapToDouble(RunResult::afterRl).toArray();
    Returns returns = runs.stream().allMatch(r -> r.returns() != null) ? new Returns(
        runs.stream().mapToDouble(r -> r.returns().before()).average().orElse(Double.NaN),
        runs.stream().mapToDouble(r -> r.returns().afterWarmStart()).average().orElse(Double.NaN),
        runs.stream().mapToDouble(r -> r.returns().afterRl()).average().orElse(Double.NaN)) : null;
    return new Row(instance, List.copyOf(runs), oracleSuccess, Statistics.mean(before), Statistics.sampleStd(before),
        Statistics.mean(warm), Statistics.sampleStd(warm), Statistics.mean(rl), Statistics.sampleStd(rl),
        runs.stream().mapToDouble(RunResult::seconds).average().orElse(0),
        runs.stream().mapToDouble(RunResult::cpuSeconds).average().orElse(0),
        runs.stream().anyMatch(RunResult::warmStart), oracleReturn, returns);
  }

  /** The lines of a run's {@code evaluations.jsonl} (none when it is missing). */
  static List<EvaluationMetrics> evaluations(Path runDirectory) {
    Path file = runDirectory.resolve("evaluations.jsonl");
    try {
      return !Files.isRegularFile(file) ? List.of() : Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).map(EvaluationMetrics::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The mean returns of the last {@code before}, {@code after-warm-start} and {@code after} evaluations (the one
   * before stands for the warm start's without one), or null when one is missing or recorded none.
   */
  static Returns returns(List<EvaluationMetrics> evaluations) {
    Double before = lastReturn(evaluations, "before");
    Double warm = lastReturn(evaluations, "after-warm-start");
    Double after = lastReturn(evaluations, "after");
    return before == null || after == null ? null : new Returns(before, warm == null ? before : warm, after);
  }

  private static Double lastReturn(List<EvaluationMetrics> evaluations, String label) {
    Double out = null;
    for (EvaluationMetrics e : evaluations) {
      if (e.evaluation().equals(label)) {
        out = e.meanReturn();
      }
    }
    return out;
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Generalisation: the train --env recipe, no per-environment tuning, %d seeds "
        + "(%s)%s; held-out success, mean ± std%n%n", s.options().seeds().size(), s.options().seeds(),
        s.options().config() == null ? "" : ", over the recipe: " + s.options().config()));
    b.append("| environment | settings | oracle | before | after warm start | after RL | RL − warm start | wall s "
        + "| CPU s | targets |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : s.rows()) {
      b.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %.3f ± %.3f | %s | %.3f ± %.3f | %+.3f | %.0f | %.0f | %s |%n",
          r.instance().env(), r.instance().envConfig().isEmpty() ? "defaults" : r.instance().envConfigText(),
          Double.isNaN(r.oracleSuccess()) ? "none" : String.format(Locale.ROOT, "%.2f", r.oracleSuccess()),
          r.meanBefore(), r.stdBefore(), r.warmStart()
              ? String.format(Locale.ROOT, "%.3f ± %.3f", r.meanWarm(), r.stdWarm()) : "no warm start",
          r.meanRl(), r.stdRl(), r.meanRl() - r.meanWarm(), r.meanSeconds(), r.meanCpuSeconds(), targets(r)));
    }
    b.append("\nTargets: kept = RL ended at or above the warm start on every seed; 2× = RL at least doubled the "
        + "untrained success; ≥0.8 = at or above 0.8 where the oracle is perfect; ≤10 min = every run within "
        + "10 minutes.\n");
    List<Row> scored = s.rows().stream().filter(Row::scores).toList();
    if (!scored.isEmpty()) {
      b.append("\nWhere the reward is a score, not the success (a held-out mean return differs from the success "
          + "share), the held-out mean return, mean over seeds, with the same targets on it (≥0.8 = at least 0.8 "
          + "of the oracle's return):\n\n| environment | oracle | before | after warm start | after RL | RL − warm "
          + "start | targets |\n|---|---|---|---|---|---|---|\n");
      for (Row r : scored) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %.3f | %+.3f | %s |%n", r.instance().env(),
            Double.isNaN(r.oracleReturn()) ? "none" : String.format(Locale.ROOT, "%.3f", r.oracleReturn()),
            r.returns().before(), r.warmStart() ? String.format(Locale.ROOT, "%.3f", r.returns().afterWarmStart())
                : "no warm start", r.returns().afterRl(), r.returns().afterRl() - r.returns().afterWarmStart(),
            String.join(", ", r.keptWarmStartReturn() ? "kept" : "**lost**", r.doubledReturn() ? "2×" : "**not 2×**",
                r.reachedOracleReturn() ? "≥0.8" : "**<0.8**")));
      }
    }
    for (Row r : s.rows()) {
      if (r.failed() > 0) {
        b.append(String.format(Locale.ROOT, "%n%s: %d held-out episodes failed (an error or a time limit; counted as "
            + "not succeeded, see the runs' train.log).%n", r.instance().env(), r.failed()));
      }
    }
    return b.toString();
  }

  private static String targets(Row r) {
    List<String> t = new ArrayList<>();
    t.add((r.keptWarmStart() ? "kept" : "**lost**"));
    t.add(r.doubled() ? "2×" : "**not 2×**");
    if (r.oracleSuccess() >= 1 - 1e-9) {
      t.add(r.reachedOracleTarget() ? "≥0.8" : "**<0.8**");
    }
    t.add(r.inTime() ? "≤10 min" : "**>10 min**");
    return String.join(", ", t);
  }

  static String plot(Summary s) {
    List<Experiments.Curves> curves = s.rows().stream().map(r -> new Experiments.Curves(r.instance().env(),
        r.runs().stream().map(RunResult::success).toList())).toList();
    int iterations = s.rows().stream().flatMap(r -> r.runs().stream()).mapToInt(r -> r.success().size()).max()
        .orElse(1);
    return Experiments.plot("Training success (sampled) per environment, the recipe, " + s.options().seeds().size()
        + " seeds", curves, Math.max(1, iterations), Math.max(1, iterations), List.of());
  }

  private static void write(Path directory, Summary s) {
    ObjectNode root = Json.JSON.createObjectNode();
    ArrayNode seeds = root.putArray("seeds");
    s.options().seeds().forEach(seeds::add);
    ArrayNode rows = root.putArray("environments");
    for (Row r : s.rows()) {
      ObjectNode n = rows.addObject();
      n.put("env", r.instance().env());
      n.set("envConfig", r.instance().envConfig());
      n.put("oracleSuccess", r.oracleSuccess());
      n.put("meanBefore", r.meanBefore()).put("stdBefore", r.stdBefore()).put("meanAfterWarmStart", r.meanWarm())
          .put("stdAfterWarmStart", r.stdWarm()).put("meanAfterRl", r.meanRl()).put("stdAfterRl", r.stdRl())
          .put("meanSeconds", r.meanSeconds()).put("meanCpuSeconds", r.meanCpuSeconds())
          .put("keptWarmStart", r.keptWarmStart()).put("doubled", r.doubled())
          .put("reachedOracleTarget", r.reachedOracleTarget()).put("inTime", r.inTime())
          .put("oracleReturn", r.oracleReturn()).put("scores", r.scores()).put("failed", r.failed());
      if (r.returns() != null) {
        n.put("meanReturnBefore", r.returns().before()).put("meanReturnAfterWarmStart", r.returns().afterWarmStart())
            .put("meanReturnAfterRl", r.returns().afterRl());
      }
      ArrayNode runs = n.putArray("runs");
      for (RunResult x : r.runs()) {
        ObjectNode run = runs.addObject();
        run.put("seed", x.seed()).put("before", x.before()).put("afterWarmStart", x.afterWarmStart())
            .put("afterRl", x.afterRl()).put("seconds", x.seconds()).put("cpuSeconds", x.cpuSeconds())
            .put("directory", directory.relativize(x.directory()).toString()).put("failed", x.failed());
        if (x.returns() != null) {
          run.put("returnBefore", x.returns().before()).put("returnAfterWarmStart", x.returns().afterWarmStart())
              .put("returnAfterRl", x.returns().afterRl());
        }
        ArrayNode curve = run.putArray("trainingSuccess");
        x.success().forEach(curve::add);
      }
    }
    Experiments.write(directory, "generalisation", table(s), plot(s), root);
  }
}
