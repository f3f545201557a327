package dev.ludus.shaping;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.RewardTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A run's reward shaping: shapers with weights, a chain of transforms, a combiner. It scores a group of
 * episodes on the same task (a group of one when the run does not group) and fills each episode's reward
 * ledger.
 *
 * <p>Design: (1) every shaper gives raw per-turn contributions, one component per name; (2) the
 * transforms run in order, each on the components it targets, over the whole group; (3) the combiner says
 * how much each component contributes at each turn (weights, normalization), plus an optional adjustment.
 * Every raw value is kept in the ledger beside its final contribution; a component of weight 0 is recorded
 * with value 0 (a metric). The turn reward is the sum of the turn's ledger values ({@link #turnRewards}).
 * Failed episodes are passed through unshaped; an episode whose shaper throws becomes failed, naming the
 * shaper.
 *
 * <p>Immutable and thread-safe if its parts are.
 */
public final class ShapingPipeline {

  /** A shaper in the pipeline under its registered name, with its weight. */
  public record ShaperEntry(String name, RewardShaper shaper, double weight) {
    public ShaperEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shaper, "shaper");
      if (!Double.isFinite(weight)) {
        throw new IllegalArgumentException("weight of shaper '" + name + "' must be a finite number, was " + weight);
      }
    }
  }

  /**
   * A transform under its registered name, applied to the components it names (by shaper name or
   * {@code shaper/component}); all components when {@code components} is empty.
   */
  public record TransformEntry(String name, RewardTransform transform, Set<String> components) {
    public TransformEntry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(transform, "transform");
      components = components == null ? Set.of() : Set.copyOf(components);
    }

    boolean targets(ComponentValues c) {
      return components.isEmpty() || components.contains(c.source()) || components.contains(c.label());
    }
  }

  private final List<ShaperEntry> shapers;
  private final List<TransformEntry> transforms;
  private final String combinerName;
  private final RewardCombiner combiner;

  private ShapingPipeline(List<ShaperEntry> shapers, List<TransformEntry> transforms, String combinerName,
      RewardCombiner combiner) {
    if (shapers.isEmpty()) {
      throw new IllegalArgumentException("a shaping pipeline needs at least one shaper");
    }
    this.shapers = List.copyOf(shapers);
    this.transforms = List.copyOf(transforms);
    this.combinerName = Objects.requireNonNull(combinerName, "combinerName");
    this.combiner = Objects.requireNonNull(combiner, "combiner");
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<ShaperEntry> shapers() {
    return shapers;
  }

  public List<TransformEntry> transforms() {
    return transforms;
  }

  public String combinerName() {
    return combinerName;
  }

  /** Every signal name some shaper reads. */
  public Set<String> requiredSignals() {
    Set<String> names = new LinkedHashSet<>();
    shapers.forEach(s -> names.addAll(s.shaper().requiredSignals()));
    return names;
  }

  /** Scores one episode on its own (a group of one). */
  public Episode score(Episode episode) {
    return score(List.of(episode)).get(0);
  }

  /**
   * Scores a group of episodes on the same task; returns them, in order, with their ledgers filled. Group
   * transforms and combiners see the episodes that did not fail.
   */
  public List<Episode> score(List<Episode> group) {
    List<Episode> out = new ArrayList<>(group);
    List<Integer> live = new ArrayList<>();
    // (1) raw contributions, one component per (shaper, name), in order of appearance
    List<Map<String, double[][]>> raw = new ArrayList<>(shapers.size());
    for (int s = 0; s < shapers.size(); s++) {
      raw.add(new LinkedHashMap<>(4));
    }
    for (int g = 0; g < group.size(); g++) {
      if (group.get(g).status() != EpisodeStatus.FAILED) {
        live.add(g);
      }
    }
    int n = live.size();
    for (int k = 0; k < n; k++) {
      Episode e = group.get(live.get(k));
      for (int si = 0; si < shapers.size(); si++) {
        ShaperEntry s = shapers.get(si);
        Map<String, double[][]> byComponent = raw.get(si);
        List<RewardContribution> cs;
        try {
          cs = Objects.requireNonNull(s.shaper().shape(e), "shape returned null");
        } catch (RuntimeException ex) {
          out.set(live.get(k), failed(e, "shaper '" + s.name() + "' failed: " + ex));
          continue;
        }
        for (RewardContribution c : cs) {
          double[][] values = byComponent.get(c.component());
          if (values == null) {
            values = blank(group, live);
            byComponent.put(c.component(), values);
          }
          if (c.turn() < 0 || c.turn() >= values[k].length) {
            out.set(live.get(k), failed(e, "shaper '" + s.name() + "' rewarded turn " + c.turn() + " of an episode with "
                + values[k].length + " turns"));
            continue;
          }
          if (!Double.isNaN(values[k][c.turn()])) {
            out.set(live.get(k), failed(e, "shaper '" + s.name() + "' gave component '" + c.component()
                + "' twice at turn " + c.turn()));
            continue;
          }
          values[k][c.turn()] = c.value();
        }
      }
    }
    List<Episode> liveEpisodes = new ArrayList<>(n);
    live.forEach(i -> liveEpisodes.add(group.get(i)));
    List<ComponentValues> components = new ArrayList<>();
    for (int si = 0; si < shapers.size(); si++) {
      ShaperEntry s = shapers.get(si);
      for (Map.Entry<String, double[][]> e : raw.get(si).entrySet()) {
        // transforms and combiners treat values as read-only and return new arrays (ComponentValues' contract)
        components.add(new ComponentValues(s.name(), e.getKey(), s.weight(), liveEpisodes, e.getValue()));
      }
    }
    List<ComponentValues> rawComponents = List.copyOf(components);
    // (2) transforms, in order
    for (TransformEntry t : transforms) {
      for (int c = 0; c < components.size(); c++) {
        ComponentValues cv = components.get(c);
        if (t.targets(cv)) {
          double[][] next = t.transform().apply(cv);
          checkShape(next, cv.values(), "transform '" + t.name() + "'");
          components.set(c, cv.with(next));
        }
      }
    }
    // (3) the combiner
    RewardCombiner.Combination combination = components.isEmpty()
        ? new RewardCombiner.Combination(List.of(), null) : combiner.combine(List.copyOf(components));
    if (combination.contributions().size() != components.size()) {
      throw new IllegalStateException("combiner '" + combinerName + "' gave " + combination.contributions().size()
          + " contributions for " + components.size() + " components");
    }
    for (int c = 0; c < components.size(); c++) {
      checkShape(combination.contributions().get(c), rawComponents.get(c).values(), "combiner '" + combinerName + "'");
    }
    if (combination.adjustment() != null) {
      checkShape(combination.adjustment(), rawComponents.isEmpty() ? new double[0][] : rawComponents.get(0).values(),
          "combiner '" + combinerName + "' (adjustment)");
    }
    // (4) the ledger
    for (int k = 0; k < n; k++) {
      int g = live.get(k);
      if (out.get(g).status() == EpisodeStatus.FAILED) {
        continue;
      }
      List<LedgerEntry> ledger = new ArrayList<>();
      int turns = group.get(g).turns().size();
      for (int t = 0; t < turns; t++) {
        for (int c = 0; c < components.size(); c++) {
          ComponentValues rc = rawComponents.get(c);
          double rawValue = rc.values()[k][t];
          if (Double.isNaN(rawValue)) {
            continue;
          }
          double[][] contribution = combination.contributions().get(c);
          double value = rc.weight() == 0 || Double.isNaN(contribution[k][t]) ? 0 : contribution[k][t];
          ledger.add(new LedgerEntry(t, rc.source(), rc.component(), rawValue, value));
        }
        if (combination.adjustment() != null) {
          double adj = combination.adjustment()[k][t];
          if (!Double.isNaN(adj) && adj != 0) {
            ledger.add(new LedgerEntry(t, "combiner:" + combinerName, "adjustment", adj, adj));
          }
        }
      }
      out.set(g, group.get(g).withLedger(ledger));
    }
    return out;
  }

  /** Each turn's reward: the sum of that turn's ledger values. */
  public static double[] turnRewards(Episode episode) {
    double[] r = new double[episode.turns().size()];
    for (LedgerEntry e : episode.ledger()) {
      if (e.turn() >= 0 && e.turn() < r.length) {
        r[e.turn()] += e.value();
      }
    }
    return r;
  }

  private static Episode failed(Episode e, String reason) {
    return e.asFailed(reason);
  }

  private static double[][] blank(List<Episode> group, List<Integer> live) {
    double[][] v = new double[live.size()][];
    for (int k = 0; k < live.size(); k++) {
      v[k] = new double[group.get(live.get(k)).turns().size()];
      Arrays.fill(v[k], Double.NaN);
    }
    return v;
  }

  private static void checkShape(double[][] got, double[][] want, String who) {
    if (got == null || got.length != want.length) {
      throw new IllegalStateException(who + " returned values of the wrong shape");
    }
    for (int i = 0; i < want.length; i++) {
      if (got[i] == null || got[i].length != want[i].length) {
        throw new IllegalStateException(who + " returned values of the wrong shape at episode " + i);
      }
    }
  }

  /** Builds a {@link ShapingPipeline}; not thread-safe. */
  public static final class Builder {
    private final List<ShaperEntry> shapers = new ArrayList<>();
    private final List<TransformEntry> transforms = new ArrayList<>();
    private String combinerName = "weighted-sum";
    private RewardCombiner combiner = dev.ludus.shaping.combine.WeightedSumCombinerProvider.combiner();

    private Builder() {}

    public Builder shaper(String name, RewardShaper shaper, double weight) {
      shapers.add(new ShaperEntry(name, shaper, weight));
      return this;
    }

    public Builder transform(String name, RewardTransform transform, Set<String> components) {
      transforms.add(new TransformEntry(name, transform, components));
      return this;
    }

    public Builder transform(String name, RewardTransform transform) {
      return transform(name, transform, Set.of());
    }

    public Builder combiner(String name, RewardCombiner combiner) {
      this.combinerName = name;
      this.combiner = combiner;
      return this;
    }

    public ShapingPipeline build() {
      return new ShapingPipeline(shapers, transforms, combinerName, combiner);
    }
  }
}
