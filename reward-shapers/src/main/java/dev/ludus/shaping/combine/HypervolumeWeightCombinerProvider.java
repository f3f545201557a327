package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.stats.Statistics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code hypervolume-weight}: the hypervolume-guided meta-reward of dynamic reward weighting
 * (<i>Learning to Optimize Multi-Objective Alignment Through Dynamic Reward Weighting</i>, 2025). The
 * combiner keeps a Pareto buffer of objective vectors; a group whose vector enlarges the hypervolume the
 * buffer dominates scales the next rewards up:
 * {@code ΔHV = HV(P ∪ {v}) − HV(P)}, {@code μ = 0.5 + 1.5 · tanh(max(ΔHV, 0))},
 * {@code r_t = μ · Σ_i w_i · c_i,t}.
 *
 * <p>Provenance [CODE: yining610/dynamic-reward-weighting, {@code hypervolumn_contribution.py}]: the
 * buffer's first entry is the reference point, the hypervolume is computed exactly by recursive slicing
 * (Fonseca et al., 2006) for maximization, and {@code v} joins the buffer when {@code ΔHV > 0}. Adaptations,
 * by design: (1) the paper compares validation metrics after each evaluation; here the objective vector
 * {@code v} of a group is, for each component in the order the first group gave them, the mean of its
 * (transformed) values over the group, all episodes and turns; (2) the first group's vector is the
 * reference point (the paper's initial model); (3) points that do not dominate the reference in every
 * objective add no volume (the repository's slicer could give them a negative one, which it then clamps
 * to 0 when it matters); (4) dominated buffer entries are dropped, which leaves the hypervolume unchanged;
 * (5) μ is kept below 2 even where {@code tanh} rounds to 1.
 *
 * <p>Ordering: a group's contributions use the μ of the previous update ({@code initialMultiplier} for the
 * first group); then its vector updates the buffer and μ for the next group. A group that lacks one of the
 * reference's components (or has no value for it) leaves the buffer and μ unchanged. The first group sets
 * the reference, so its ΔHV is 0 and the second group is scaled by 0.5.
 *
 * <p>Laws: μ = 0.5 exactly when ΔHV = 0; μ ∈ [0.5, 2). Ledger: component i contributes
 * {@code μ · w_i · c_i,t}; there is no adjustment. Cost: exact slicing is exponential in the number of
 * components ({@code O(n^(d−1) log n)} for n buffer points and d components), meant for a handful of
 * objectives. Thread-safe: the buffer lives in the combiner and every call is synchronized.
 */
public final class HypervolumeWeightCombinerProvider
    implements CombinerProvider<HypervolumeWeightCombinerProvider.Config> {

  /** The largest μ: just below 2. */
  static final double MAX_MULTIPLIER = Math.nextDown(2.0);

  /** @param initialMultiplier the μ the first group is combined with, in [0.5, 2) */
  public record Config(double initialMultiplier) {
    public Config {
      if (!(initialMultiplier >= 0.5 && initialMultiplier < 2)) {
        throw new IllegalArgumentException("initialMultiplier must be a number in [0.5, 2), was " + initialMultiplier);
      }
    }
  }

  public HypervolumeWeightCombinerProvider() {}

  @Override
  public String name() {
    return "hypervolume-weight";
  }

  @Override
  public String description() {
    return "weighted sum scaled by a meta-reward that grows when a group extends the Pareto front of objectives";
  }

  @Override
  public String formula() {
    return "r_t = μ · Σ_i w_i · c_i,t, μ = 0.5 + 1.5 · tanh(max(HV(P ∪ {v}) − HV(P), 0)) from the previous group";
  }

  @Override
  public String reference() {
    return "Learning to Optimize Multi-Objective Alignment Through Dynamic Reward Weighting (2025) "
        + "[CODE: yining610/dynamic-reward-weighting]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(1.0);
  }

  @Override
  public RewardCombiner create(Config config) {
    return new HypervolumeWeight(config.initialMultiplier());
  }

  /** μ for a hypervolume gain. */
  static double multiplierFor(double deltaHv) {
    return Math.min(0.5 + 1.5 * Math.tanh(Math.max(deltaHv, 0)), MAX_MULTIPLIER);
  }

  /** The combiner; the Pareto buffer and μ are its state. */
  static final class HypervolumeWeight implements RewardCombiner {
    private double multiplier;
    private List<String> labels;
    private double[] reference;
    private final List<double[]> front = new ArrayList<>();

    HypervolumeWeight(double initialMultiplier) {
      this.multiplier = initialMultiplier;
    }

    @Override
    public synchronized Combination combine(List<ComponentValues> components) {
      List<double[][]> out = new ArrayList<>(components.size());
      for (ComponentValues c : components) {
        out.add(GroupMath.scaled(c.values(), c.weight() == 0 ? 0 : multiplier * c.weight()));
      }
      update(components);
      return new Combination(out, null);
    }

    /** The μ the next group will be combined with. */
    synchronized double multiplier() {
      return multiplier;
    }

    /** Feeds one objective vector (in the reference's order); returns ΔHV, or NaN if it was skipped. */
    synchronized double offer(double[] v) {
      for (double x : v) {
        if (Double.isNaN(x)) {
          return Double.NaN;
        }
      }
      if (reference == null) {
        reference = v.clone();
        multiplier = multiplierFor(0);
        return 0;
      }
      if (v.length != reference.length) {
        return Double.NaN;
      }
      double delta = 0;
      if (front.stream().noneMatch(p -> dominatesWeakly(p, v))) {
        // a dominated vector adds exactly nothing; skipping it keeps rounding out of that case
        List<double[]> with = new ArrayList<>(front);
        with.add(v);
        delta = hypervolume(with, reference) - hypervolume(front, reference);
      }
      multiplier = multiplierFor(delta);
      if (delta > 0) {
        front.removeIf(p -> dominatesWeakly(v, p));
        front.add(v.clone());
      }
      return delta;
    }

    private void update(List<ComponentValues> components) {
      if (labels == null) {
        labels = components.stream().map(ComponentValues::label).toList();
      }
      double[] v = new double[labels.size()];
      for (int d = 0; d < v.length; d++) {
        v[d] = Double.NaN;
        for (ComponentValues c : components) {
          if (c.label().equals(labels.get(d))) {
            v[d] = Statistics.meanOfPresent(c.values());
          }
        }
      }
      offer(v);
    }
  }

  private static boolean dominatesWeakly(double[] a, double[] b) {
    for (int d = 0; d < a.length; d++) {
      if (a[d] < b[d]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The exact hypervolume (maximization) that {@code points} dominate above {@code reference}, by
   * recursive slicing along each objective in turn. Points that do not exceed the reference in every
   * objective add nothing.
   */
  static double hypervolume(List<double[]> points, double[] reference) {
    List<double[]> above = new ArrayList<>();
    for (double[] p : points) {
      boolean dominates = true;
      for (int d = 0; d < reference.length; d++) {
        dominates &= p[d] > reference[d];
      }
      if (dominates) {
        above.add(p);
      }
    }
    return slice(above, reference, 0);
  }

  private static double slice(List<double[]> points, double[] reference, int dim) {
    if (points.isEmpty()) {
      return 0;
    }
    if (dim == reference.length - 1) {
      double best = Double.NEGATIVE_INFINITY;
      for (double[] p : points) {
        best = Math.max(best, p[dim]);
      }
      return best - reference[dim];
    }
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(p -> p[dim]));
    double volume = 0;
    double previous = reference[dim];
    int k = 0;
    while (k < sorted.size()) {
      double x = sorted.get(k)[dim];
      // every point from k on reaches at least x along dim: together they dominate the slab (previous, x]
      volume += (x - previous) * slice(sorted.subList(k, sorted.size()), reference, dim + 1);
      previous = x;
      while (k < sorted.size() && sorted.get(k)[dim] == x) {
        k++;
      }
    }
    return volume;
  }
}
