package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code ludus experiment hacking}: a hackable shaper, one that pays more than the task for something the policy can
 * do without solving it, is exploited by the policy; do the reward transforms meant against hacking (PAR, and the
 * Delta and Clip refinements of process rewards) prevent it?
 *
 * <p>Design. One setting of an {@link AblationSpec} with {@code hacked} naming the ledger source of the hackable
 * shaper. The arms: first a reference whose shaping lists the hackable shaper at weight 0 (recorded as a metric, so
 * that the behaviour it pays for is measured in a policy that is not paid for it), then the hackable shaping, then
 * the same with each transform on the hackable component. Every arm must list the {@code hacked} source (checked).
 * Per arm, over the seeds: the task's success (held-out at the end, and the training success of the last
 * {@code window} iterations) and the hacked component (its raw value per episode, before transforms and weights, in
 * the first iteration and in the last {@code window}), with the mean turns per episode. An arm exploited the shaper
 * when its hacked component ends above the reference's while its held-out success ends below it by more than two
 * standard errors of the difference; the table gives both differences so that a reader judges the size. The
 * run directory gets {@code hacking.md}, {@code hacking.json}, {@code hacking.svg} (the hacked component per arm
 * against training episodes) and the setting's {@code ablation.*} files. Not thread-safe.
 */
public final class HackingAblation {

  /**
   * One arm's figures over its seeds ({@code [mean, std]} pairs are arrays of one value per seed).
   *
   * @param heldOut held-out success at the end
   * @param training training success over the last {@code window} iterations
   * @param hackedFirst the hacked component's raw value per episode in the first iteration
   * @param hackedLast the same over the last {@code window} iterations
   * @param turns turns per episode over the last {@code window} iterations
   */
  public record ArmResult(String arm, double[] heldOut, double[] training, double[] hackedFirst, double[] hackedLast,
      double[] turns) {}

  /** The whole experiment; the first arm is the reference. */
  public record Summary(AblationSpec spec, List<Long> seeds, ShapingAblation.Summary ablation, List<ArmResult> arms) {
    public AblationSpec.Setting setting() {
      return spec.settings().get(0);
    }

    /**
     * Whether {@code arm} ends with more of the hacked component than the reference and a held-out success lower
     * by more than two standard errors of the difference of the means (Welch's, from the seeds' spread; with one
     * seed any drop counts).
     */
    public boolean exploited(ArmResult arm) {
      ArmResult ref = arms.get(0);
      double drop = Statistics.mean(ref.heldOut()) - Statistics.mean(arm.heldOut());
      return Statistics.mean(arm.hackedLast()) > Statistics.mean(ref.hackedLast())
          && drop > 0 && drop > 2 * standardError(arm.heldOut(), ref.heldOut());
    }
  }

  /** The standard error of the difference of two means (Welch): sqrt(s1²/n1 + s2²/n2). */
  static double standardError(double[] a, double[] b) {
    double sa = Statistics.sampleStd(a);
    double sb = Statistics.sampleStd(b);
    return Math.sqrt(sa * sa / a.length + sb * sb / b.length);
  }

  private HackingAblation() {}

  /**
   * The embedded experiment ({@code examples/ablations/hacking.yaml}): guess-number 1 to 16 with 8 guesses after a
   * warm start, a {@code format} bonus on every well-formed turn at weight 0.5 (8 turns pay 4, more than winning),
   * and the hackable shaping alone, with {@code par}, with {@code delta} and with {@code clip} on the bonus.
   */
  public static AblationSpec defaults() {
    return AblationSpec.resource("hacking.yaml");
  }

  /** Checks the spec (one setting, {@code hacked} set and listed by every arm) and every arm's configuration. */
  public static void validate(Registry registry, AblationSpec spec, List<Long> seeds) {
    if (spec.settings().size() != 1) {
      throw new ConfigException("a hacking ablation has exactly one setting, got " + spec.settings().size());
    }
    AblationSpec.Setting s = spec.settings().get(0);
    if (s.hacked() == null || s.hacked().isBlank()) {
      throw new ConfigException("setting '" + s.name() + "': hacked must name the ledger source of the hackable "
          + "shaper (its name, or its alias 'as')");
    }
    for (ShapingAblation.Arm a : s.arms()) {
      if (!lists(a.shaping(), s.hacked())) {
        throw new ConfigException("setting '" + s.name() + "': arm '" + a.name() + "' does not list the hacked "
            + "shaper '" + s.hacked() + "'; list it in every arm (at weight 0 in the reference) so that it is "
            + "measured in each");
      }
    }
    Ablations.validate(registry, spec, seeds);
  }

  private static boolean lists(JsonNode shaping, String source) {
    if (shaping == null) {
      return false;
    }
    for (JsonNode sh : shaping.path("shapers")) {
      String name = sh.isTextual() ? sh.asText() : sh.path("as").asText(sh.path("name").asText());
      if (name.equals(source)) {
        return true;
      }
    }
    return false;
  }

  /** Runs every arm and seed into {@code directory}, then writes the table, the JSON and the plot. */
  public static Summary run(Registry registry, AblationSpec spec, List<Long> seeds, Path directory, String device,
      PrintWriter out) throws InterruptedException {
    validate(registry, spec, seeds);
    Ablations.SettingRun s = Ablations.run(registry, spec, seeds, directory, device, out).get(0);
    Summary summary = summarize(spec, seeds, s.summary());
    write(directory, summary);
    return summary;
  }

  static Summary summarize(AblationSpec spec, List<Long> seeds, ShapingAblation.Summary ablation) {
    AblationSpec.Setting s = spec.settings().get(0);
    int w = s.window();
    List<ArmResult> arms = new ArrayList<>();
    for (ShapingAblation.Arm a : s.arms()) {
      List<ShapingAblation.RunResult> runs = ablation.runs().stream().filter(r -> r.arm().equals(a.name())).toList();
      arms.add(new ArmResult(a.name(), Ablations.values(runs, ShapingAblation.RunResult::finalSuccess),
          Ablations.values(runs, r -> Ablations.tail(r.success(), w)),
          Ablations.values(runs, r -> Ablations.raw(r, s.hacked()).isEmpty() ? Double.NaN
              : Ablations.raw(r, s.hacked()).get(0)),
          Ablations.values(runs, r -> Ablations.tail(Ablations.raw(r, s.hacked()), w)),
          Ablations.values(runs, r -> Ablations.tail(r.turns(), w))));
    }
    return new Summary(spec, List.copyOf(seeds), ablation, List.copyOf(arms));
  }

  /** The Markdown table (also what the command prints). */
  public static String table(Summary s) {
    AblationSpec.Setting set = s.setting();
    ArmResult ref = s.arms().get(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %s, %d seeds, %d training episodes per run; hacked component: '%s' "
        + "(raw per episode); last = the last %d iteration%s%n%n",
        s.spec().title().isBlank() ? "Reward hacking" : s.spec().title(), set.train().env(), s.seeds().size(),
        s.ablation().options().budget(), set.hacked(), set.window(), set.window() == 1 ? "" : "s"));
    b.append("| arm | held-out success (end) | training success (last) | hacked component: first iteration → last "
        + "| turns per episode (last) | vs " + ref.arm() + ": hacked, held-out success | exploited |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (ArmResult a : s.arms()) {
      boolean isRef = a == ref;
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s → %s | %s | %s | %s |%n", a.arm(),
          Ablations.pm(a.heldOut(), "%.3f"), Ablations.pm(a.training(), "%.3f"), Ablations.pm(a.hackedFirst(), "%.2f"),
          Ablations.pm(a.hackedLast(), "%.2f"), Ablations.pm(a.turns(), "%.2f"),
          isRef ? "" : String.format(Locale.ROOT, "%+.2f, %+.3f",
              Statistics.mean(a.hackedLast()) - Statistics.mean(ref.hackedLast()),
              Statistics.mean(a.heldOut()) - Statistics.mean(ref.heldOut())),
          isRef ? "(reference)" : s.exploited(a) ? "yes" : "no"));
    }
    b.append(String.format(Locale.ROOT, "%nexploited: the arm ends with more of '%s' per episode than %s and a "
        + "held-out success lower by more than two standard errors of the difference (Welch, over seeds).%n",
        set.hacked(), ref.arm()));
    return b.toString();
  }

  /** The hacked component's raw value per episode against training episodes, per arm. */
  static String plot(Summary s) {
    AblationSpec.Setting set = s.setting();
    List<Experiments.Curves> families = new ArrayList<>();
    double max = 1;
    for (ShapingAblation.Arm a : set.arms()) {
      List<List<Double>> curves = s.ablation().runs().stream().filter(r -> r.arm().equals(a.name()))
          .map(r -> Ablations.raw(r, set.hacked())).toList();
      for (List<Double> c : curves) {
        for (double v : c) {
          max = Double.isNaN(v) ? max : Math.max(max, v);
        }
      }
      families.add(new Experiments.Curves(a.name(), curves));
    }
    return Experiments.plot(String.format(Locale.ROOT, "'%s' (raw per episode), %s (%d seeds)", set.hacked(),
        set.train().env(), s.seeds().size()), families, set.train().iterations(), s.ablation().options().budget(),
        List.of(), Math.ceil(max));
  }

  private static void write(Path directory, Summary s) {
    ObjectNode root = s.spec().toJson();
    ArrayNode arms = root.putArray("results");
    for (ArmResult a : s.arms()) {
      ObjectNode n = arms.addObject().put("arm", a.arm()).put("exploited", a != s.arms().get(0) && s.exploited(a));
      put(n, "heldOutSuccess", a.heldOut());
      put(n, "trainingSuccessLast", a.training());
      put(n, "hackedFirst", a.hackedFirst());
      put(n, "hackedLast", a.hackedLast());
      put(n, "turnsLast", a.turns());
    }
    String md = table(s) + "\n![hacked component](hacking.svg)\n![training success](" + s.setting().name()
        + "/ablation.svg)\n";
    Experiments.write(directory, "hacking", md, List.of(plot(s)), root);
  }

  private static void put(ObjectNode n, String field, double[] values) {
    ObjectNode o = n.putObject(field).put("mean", Statistics.mean(values)).put("std", Statistics.sampleStd(values));
    ArrayNode per = o.putArray("perSeed");
    for (double v : values) {
      per.add(v);
    }
  }
}
