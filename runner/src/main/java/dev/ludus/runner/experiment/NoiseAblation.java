package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.stats.Statistics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ludus experiment noise}: learning with a share of the outcome rewards flipped (the {@code noise} transform,
 * after Lv et al. 2025, who found that RL still learns with up to about 40% of verdicts flipped) against clean
 * rewards.
 *
 * <p>Design. One setting of an {@link AblationSpec}; the first arm has clean rewards, the others the same shaping
 * with {@code noise} on the outcome at a flip probability each. The transform flips a whole group's rewards
 * ({@code r → 1 − r}) with probability p, decided by its seed and the task id, so that under a group baseline a
 * flipped group pushes the policy the wrong way: with binary rewards the expected advantage shrinks by
 * {@code 1 − 2p}. Training success counts the environment's own verdict, never the flipped reward, so the curves
 * show what the policy learned. Per arm, over the seeds: episodes to the threshold, held-out success at the end and
 * the training success of the last {@code window} iterations. The run directory gets {@code noise.md},
 * {@code noise.json} and the setting's {@code ablation.*} files (training success per arm). Not thread-safe.
 */
public final class NoiseAblation {

  /**
   * One arm's figures, one value per seed.
   *
   * @param training training success over the last {@code window} iterations
   */
  public record ArmResult(ShapingAblation.ArmSummary episodes, double[] heldOut, double[] training) {}

  /** The whole experiment; the first arm is the clean one. */
  public record Summary(AblationSpec spec, List<Long> seeds, ShapingAblation.Summary ablation, List<ArmResult> arms) {
    public AblationSpec.Setting setting() {
      return spec.settings().get(0);
    }
  }

  private NoiseAblation() {}

  /**
   * The embedded experiment ({@code examples/ablations/noise.yaml}): guess-number 1 to 16 with 5 guesses from the
   * untrained policy, outcome only; clean, 20% and 40% of groups flipped.
   */
  public static AblationSpec defaults() {
    return AblationSpec.resource("noise.yaml");
  }

  /** Checks the spec (one setting) and every arm's configuration. */
  public static void validate(Registry registry, AblationSpec spec, List<Long> seeds) {
    if (spec.settings().size() != 1) {
      throw new ConfigException("a noise ablation has exactly one setting, got " + spec.settings().size());
    }
    Ablations.validate(registry, spec, seeds);
  }

  /** Runs every arm and seed into {@code directory}, then writes the table and the JSON. */
  public static Summary run(Registry registry, AblationSpec spec, List<Long> seeds, Path directory, String device,
      PrintWriter out) throws InterruptedException {
    validate(registry, spec, seeds);
    Ablations.SettingRun s = Ablations.run(registry, spec, seeds, directory, device, out).get(0);
    Summary summary = summarize(spec, seeds, s.summary());
    write(directory, summary);
    return summary;
  }

  static Summary summarize(AblationSpec spec, List<Long> seeds, ShapingAblation.Summary ablation) {
    int w = spec.settings().get(0).window();
    List<ArmResult> arms = new ArrayList<>();
    for (ShapingAblation.ArmSummary a : ablation.arms()) {
      List<ShapingAblation.RunResult> runs = ablation.runs().stream().filter(r -> r.arm().equals(a.arm())).toList();
      arms.add(new ArmResult(a, Ablations.values(runs, ShapingAblation.RunResult::finalSuccess),
          Ablations.values(runs, r -> Ablations.tail(r.success(), w))));
    }
    return new Summary(spec, List.copyOf(seeds), ablation, List.copyOf(arms));
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    AblationSpec.Setting set = s.setting();
    ShapingAblation.Options o = s.ablation().options();
    String clean = s.arms().get(0).episodes().arm();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %s, %d seeds, budget %d training episodes, threshold: training success "
        + ">= %.2f averaged over %d iterations; last = the last %d iterations%n%n",
        s.spec().title().isBlank() ? "Noisy rewards" : s.spec().title(), set.train().env(), s.seeds().size(),
        o.budget(), set.threshold(), set.window(), set.window()));
    b.append("| arm | episodes to threshold (mean ± std) | reached | vs " + clean + " | training success (last) | "
        + "held-out success (end) |\n|---|---|---|---|---|---|\n");
    for (ArmResult a : s.arms()) {
      ShapingAblation.ArmSummary e = a.episodes();
      b.append(String.format(Locale.ROOT, "| %s | %s%.0f ± %.0f | %d/%d | %.2f | %s | %s |%n", e.arm(),
          e.censored() ? "≥ " : "", e.meanEpisodes(), e.stdEpisodes(), e.reached(), e.runs(), e.ratio(),
          Ablations.pm(a.training(), "%.3f"), Ablations.pm(a.heldOut(), "%.3f")));
    }
    if (s.arms().stream().anyMatch(a -> a.episodes().censored())) {
      b.append("\n≥: some runs never reached the threshold and count as the whole budget, so the mean is a lower "
          + "bound.\n");
    }
    return b.toString();
  }

  private static void write(Path directory, Summary s) {
    ObjectNode root = s.spec().toJson();
    ArrayNode arms = root.putArray("results");
    for (ArmResult a : s.arms()) {
      ObjectNode n = arms.addObject();
      n.set("episodes", dev.ludus.runner.config.Json.JSON.valueToTree(a.episodes()));
      n.put("heldOutMean", Statistics.mean(a.heldOut())).put("heldOutStd", Statistics.sampleStd(a.heldOut()))
          .put("trainingLastMean", Statistics.mean(a.training()))
          .put("trainingLastStd", Statistics.sampleStd(a.training()));
    }
    String md = table(s) + "\n![training success](" + s.setting().name() + "/ablation.svg)\n";
    Experiments.write(directory, "noise", md, List.of(), root);
  }
}
