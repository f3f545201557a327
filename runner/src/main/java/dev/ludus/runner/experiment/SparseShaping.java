package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Registry;
import dev.ludus.api.stats.Statistics;
import dev.ludus.runner.config.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ludus experiment sparse-shaping}: turn-level shaping against the outcome alone where the outcome is
 * sparse, the setting IGPO, Nous and the potential-based shaping literature make their claim in: shaped runs
 * reach a success threshold in at most about two thirds of the outcome-only run's episodes.
 *
 * <p>Design. Each setting of the {@link AblationSpec} (an environment, its training configuration and its arms) is
 * a {@link ShapingAblation} run into its own subdirectory. What makes the outcome sparse is measured, not assumed:
 * the untrained policy's success, both on the held-out seeds (each run's evaluation before training, one per seed, at
 * the setting's {@code evalTemperature}) and sampled (the first iteration's training success, whose rollouts come
 * before any update, over every run of the setting); a setting counts as sparse when both are at most {@link
 * #SPARSE}. The embedded settings have no warm start: imitating a perfect oracle until fitted makes the outcome dense
 * (held-out success 0.9 and more), and a short one leaves the policy at a success that depends on where imitation
 * stopped, so the runs start from the untrained policy and RL alone has to find the first successes (see the
 * README's ablation section for the figures). The run directory gets {@code sparse-shaping.md},
 * {@code sparse-shaping.json} and, per setting, its {@code ablation.*} files. Not thread-safe.
 */
public final class SparseShaping {
  /** The untrained success at or below which a setting counts as sparse. */
  public static final double SPARSE = 0.05;

  /**
   * One setting's figures.
   *
   * @param untrainedHeldOut held-out success before training, per seed (the baseline arm's runs)
   * @param untrainedSampled the first iteration's training success, per run of every arm
   */
  public record SettingResult(AblationSpec.Setting setting, ShapingAblation.Summary ablation, double[] untrainedHeldOut,
      double[] untrainedSampled) {
    public boolean sparse() {
      return Statistics.mean(untrainedHeldOut) <= SPARSE + 1e-12
          && Statistics.mean(untrainedSampled) <= SPARSE + 1e-12;
    }
  }

  /** The whole experiment. */
  public record Summary(AblationSpec spec, List<Long> seeds, List<SettingResult> settings) {
    /** Whether every setting was sparse and met the two-thirds target. */
    public boolean claimHolds() {
      return settings.stream().allMatch(s -> s.sparse() && s.ablation().targetMet());
    }
  }

  private SparseShaping() {}

  /**
   * The embedded experiment ({@code examples/ablations/sparse-shaping.yaml}): an empty 3 x 3 frozen lake in 4
   * moves with potential-based shaping on {@code steps-to-goal}, and guess-number on 1 to 128 with 6 guesses and
   * {@code info-gain}, each against the outcome alone, no warm start.
   */
  public static AblationSpec defaults() {
    return AblationSpec.resource("sparse-shaping.yaml");
  }

  /** Checks every setting without running anything. */
  public static void validate(Registry registry, AblationSpec spec, List<Long> seeds) {
    Ablations.validate(registry, spec, seeds);
  }

  /** Runs every setting and seed into {@code directory}, then writes the table and the JSON. */
  public static Summary run(Registry registry, AblationSpec spec, List<Long> seeds, Path directory, String device,
      PrintWriter out) throws InterruptedException {
    List<SettingResult> results = new ArrayList<>();
    for (Ablations.SettingRun s : Ablations.run(registry, spec, seeds, directory, device, out)) {
      results.add(result(s.setting(), s.summary()));
    }
    Summary summary = new Summary(spec, List.copyOf(seeds), List.copyOf(results));
    write(directory, summary);
    return summary;
  }

  static SettingResult result(AblationSpec.Setting setting, ShapingAblation.Summary ablation) {
    String baseline = setting.arms().get(0).name();
    double[] heldOut = ablation.runs().stream().filter(r -> r.arm().equals(baseline))
        .mapToDouble(ShapingAblation.RunResult::successBefore).toArray();
    double[] sampled = ablation.runs().stream().filter(r -> !r.success().isEmpty())
        .mapToDouble(r -> r.success().get(0)).toArray();
    return new SettingResult(setting, ablation, heldOut, sampled);
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %d seeds per arm. Sparse: untrained success at most %.2f. Target: every "
        + "shaped arm reaches the threshold in at most 2/3 of the outcome arm's episodes.%n%n",
        s.spec().title().isBlank() ? "Shaping where the outcome is sparse" : s.spec().title(), s.seeds().size(),
        SPARSE));
    b.append("| setting | arm | untrained success (held-out / sampled in training) | threshold | episodes to threshold "
        + "(mean ± std) | reached | vs baseline | final held-out success |\n|---|---|---|---|---|---|---|---|\n");
    for (SettingResult r : s.settings()) {
      ShapingAblation.Summary a = r.ablation();
      String untrained = Ablations.pm(r.untrainedHeldOut(), "%.3f") + " / "
          + Ablations.pm(r.untrainedSampled(), "%.3f");
      boolean first = true;
      for (ShapingAblation.ArmSummary arm : a.arms()) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f over %d | %s%.0f ± %.0f of %d | %d/%d | %.2f | "
            + "%.3f ± %.3f |%n", first ? r.setting().name() + " (" + r.setting().train().env() + ")" : "", arm.arm(),
            first ? untrained : "", r.setting().threshold(), r.setting().window(), arm.censored() ? "≥ " : "",
            arm.meanEpisodes(), arm.stdEpisodes(), a.options().budget(), arm.reached(), arm.runs(), arm.ratio(),
            arm.meanFinal(), arm.stdFinal()));
        first = false;
      }
    }
    b.append('\n');
    for (SettingResult r : s.settings()) {
      b.append(String.format(Locale.ROOT, "- %s: %s; target %s%n", r.setting().name(),
          r.sparse() ? "sparse" : "NOT sparse (untrained success above " + SPARSE + ")",
          r.ablation().targetMet() ? "met" : "not met"));
    }
    if (s.settings().stream()
        .anyMatch(r -> r.ablation().arms().stream().anyMatch(ShapingAblation.ArmSummary::censored))) {
      b.append("\n≥: some runs never reached the threshold and count as the whole budget, so the mean is a lower "
          + "bound.\n");
    }
    return b.toString();
  }

  private static void write(Path directory, Summary s) {
    ObjectNode root = s.spec().toJson();
    root.put("claimHolds", s.claimHolds());
    ArrayNode results = root.putArray("results");
    StringBuilder md = new StringBuilder(table(s)).append('\n');
    for (SettingResult r : s.settings()) {
      ObjectNode n = results.addObject().put("setting", r.setting().name()).put("sparse", r.sparse())
          .put("targetMet", r.ablation().targetMet())
          .put("untrainedHeldOutMean", Statistics.mean(r.untrainedHeldOut()))
          .put("untrainedHeldOutStd", Statistics.sampleStd(r.untrainedHeldOut()))
          .put("untrainedSampledMean", Statistics.mean(r.untrainedSampled()))
          .put("untrainedSampledStd", Statistics.sampleStd(r.untrainedSampled()));
      ArrayNode arms = n.putArray("arms");
      for (ShapingAblation.ArmSummary a : r.ablation().arms()) {
        arms.add(Json.JSON.valueToTree(a));
      }
      md.append("![").append(r.setting().name()).append("](").append(r.setting().name()).append("/ablation.svg)\n");
    }
    Experiments.write(directory, "sparse-shaping", md.toString(), List.of(), root);
  }
}
