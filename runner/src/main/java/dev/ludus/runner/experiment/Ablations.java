package dev.ludus.runner.experiment;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.stats.Statistics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What the ablations read from a file share ({@code sparse-shaping}, {@code hacking}, {@code noise}): each setting
 * of an {@link AblationSpec} is a {@link ShapingAblation} run into its own subdirectory (with that ablation's
 * {@code ablation.md}, {@code ablation.json} and {@code ablation.svg}); this class checks every setting before any
 * run, runs them, and formats the figures of an arm over its seeds. Stateless.
 */
final class Ablations {
  private Ablations() {}

  /** A setting that ran: its shaping ablation's summary and where it wrote. */
  record SettingRun(AblationSpec.Setting setting, ShapingAblation.Summary summary, Path directory) {
    /** The runs of one arm, in seed order. */
    List<ShapingAblation.RunResult> runs(String arm) {
      return summary.runs().stream().filter(r -> r.arm().equals(arm)).toList();
    }
  }

  /** Checks every setting (its options and every arm's training configuration) without running anything. */
  static void validate(Registry registry, AblationSpec spec, List<Long> seeds) {
    for (AblationSpec.Setting s : spec.settings()) {
      try {
        ShapingAblation.validate(registry, s.options(seeds));
      } catch (ConfigException e) {
        throw e.getMessage().startsWith("setting '") ? e : new ConfigException("setting '" + s.name() + "': "
            + e.getMessage());
      }
    }
  }

  /** Runs every setting into {@code directory/NAME}, one after another, printing a line per run. */
  static List<SettingRun> run(Registry registry, AblationSpec spec, List<Long> seeds, Path directory, String device,
      PrintWriter out) throws InterruptedException {
    validate(registry, spec, seeds);
    List<SettingRun> done = new ArrayList<>();
    for (AblationSpec.Setting s : spec.settings()) {
      ShapingAblation.Options options = s.options(seeds);
      Path dir = directory.resolve(s.name());
      out.printf(Locale.ROOT, "setting %s: %s, arms %s, %d seeds, %d training episodes per run%n", s.name(),
          s.train().env(), s.arms().stream().map(ShapingAblation.Arm::name).toList(), seeds.size(), options.budget());
      out.flush();
      ShapingAblation.Summary summary = ShapingAblation.summarize(options,
          ShapingAblation.runAll(registry, options, dir, device, out));
      ShapingAblation.write(dir, summary);
      done.add(new SettingRun(s, summary, dir));
    }
    return done;
  }

  /** One value per run. */
  static double[] values(List<ShapingAblation.RunResult> runs, ToDoubleFunction<ShapingAblation.RunResult> f) {
    return runs.stream().mapToDouble(f).toArray();
  }

  /** {@code mean ± std} of the values, each with {@code format} (e.g. {@code %.3f}). */
  static String pm(double[] x, String format) {
    return String.format(Locale.ROOT, format + " ± " + format, Statistics.mean(x), Statistics.sampleStd(x));
  }

  /** The mean of a per-iteration curve over its last {@code window} iterations. */
  static double tail(List<Double> curve, int window) {
    return Experiments.tailMean(curve, window);
  }

  /** A ledger source's raw curve in a run (empty when the run did not record the source). */
  static List<Double> raw(ShapingAblation.RunResult r, String source) {
    return r.raw().getOrDefault(source, List.of());
  }
}
