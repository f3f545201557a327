package dev.ludus.shaping;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.FailureKind;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.SignalKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
 * shaper. A shaper that could not score one turn says so with a typed failure
 * ({@link RewardContribution#failed}): the component is then missing at that turn (combiners see no value, so an
 * {@code ensemble} averages the members that answered) and the ledger records the failure with its reason,
 * never a zero.
 *
 * <p>Asynchronous shapers ({@link GroupShaper}) score a whole group and answer later; {@link #scoreAsync}
 * awaits them (all of a group's at once, each bounded by {@link #timeout()}) and then runs the transforms
 * and the combiner for the groups in the order they were submitted, so that state kept across groups
 * evolves exactly as in a synchronous run over the same groups in the same order.
 *
 * <p>Thread-safe if its parts are; immutable but for the ticket order of asynchronous scoring.
 */
public final class ShapingPipeline {

  /**
   * A shaper in the pipeline under a name of its own (its registered name, or an alias when a run lists
   * the same shaper twice), with its weight. The name is the ledger's {@code source}.
   */
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

  /** How long an asynchronous shaper may take over one group unless the builder says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final List<ShaperEntry> shapers;
  private final List<TransformEntry> transforms;
  private final String combinerName;
  private final RewardCombiner combiner;
  private final boolean asynchronous;
  private final Duration timeout;
  private final GroupSequencer sequencer = new GroupSequencer();

  private ShapingPipeline(List<ShaperEntry> shapers, List<TransformEntry> transforms, String combinerName,
      RewardCombiner combiner, Duration timeout) {
    if (shapers.isEmpty()) {
      throw new IllegalArgumentException("a shaping pipeline needs at least one shaper");
    }
    Set<String> names = new LinkedHashSet<>();
    for (ShaperEntry s : shapers) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("shaper '" + s.name() + "' is in the pipeline twice; give each entry its "
            + "own name (an alias), since the ledger's sources must tell them apart");
      }
    }
    this.shapers = List.copyOf(shapers);
    this.transforms = List.copyOf(transforms);
    this.combinerName = Objects.requireNonNull(combinerName, "combinerName");
    this.combiner = Objects.requireNonNull(combiner, "combiner");
    this.asynchronous = shapers.stream().anyMatch(s -> s.shaper() instanceof GroupShaper);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
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

  /** The key of every signal some shaper reads. */
  public Set<SignalKey<?>> requiredSignals() {
    Set<SignalKey<?>> keys = new LinkedHashSet<>();
    shapers.forEach(s -> keys.addAll(s.shaper().requiredSignals()));
    return keys;
  }

  /** Whether some shaper scores asynchronously ({@link GroupShaper}); then groups are sequenced. */
  public boolean asynchronous() {
    return asynchronous;
  }

  /** How long an asynchronous shaper may take over one group before the group fails. */
  public Duration timeout() {
    return timeout;
  }

  /** Scores one episode on its own (a group of one); waits if a shaper is asynchronous. */
  public Episode score(Episode episode) {
    return score(List.of(episode)).get(0);
  }

  /**
   * Scores a group of episodes on the same task; returns them, in order, with their ledgers filled. Group
   * transforms and combiners see the episodes that did not fail. With an asynchronous shaper this
   * <b>waits</b> for {@link #scoreAsync}: for tests, benchmarks and tools, never on an event loop.
   */
  public List<Episode> score(List<Episode> group) {
    if (asynchronous) {
      try {
        return scoreAsync(group).toCompletableFuture().join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    GroupScoring s = new GroupScoring(group);
    s.shapeInline(null);
    return s.finish();
  }

  /**
   * Scores a group as {@link #score(List)} does, without waiting: synchronous shapers run inline on the
   * calling thread (cheap CPU work), asynchronous ones ({@link GroupShaper}) are started first and
   * awaited, all at once; then the transforms, the combiner and the ledger run on the thread that
   * completes the last of them. A pipeline without asynchronous shapers returns a completed stage.
   *
   * <p>Order: when the pipeline has an asynchronous shaper, each call takes a ticket, and the transforms
   * and the combiner (which may keep state across groups: {@code running-norm}, {@code lagrangian},
   * {@code calibrated}, ...) run for the groups strictly in ticket order, i.e. in the order of the calls,
   * whatever order the shapers answer in (see {@link GroupSequencer}). So the ledgers equal those of
   * {@link #score(List)} called with the same groups in the same order; a group whose shapers answered
   * early waits for the groups called before it. An asynchronous shaper that fails, or does not answer
   * within {@link #timeout()}, fails the group's episodes with a reason naming it; the group still takes
   * its turn. The stage fails only if a transform or the combiner throws.
   */
  public CompletionStage<List<Episode>> scoreAsync(List<Episode> group) {
    if (!asynchronous) {
      try {
        return CompletableFuture.completedFuture(score(group));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    long ticket = sequencer.ticket();
    CompletableFuture<List<Episode>> result = new CompletableFuture<>();
    try {
      GroupScoring s = new GroupScoring(group);
      List<CompletableFuture<GroupAnswer>> answers = new ArrayList<>(shapers.size());
      CompletableFuture<?>[] pending = new CompletableFuture<?>[shapers.size()];
      int started = 0;
      for (int si = 0; si < shapers.size(); si++) {
        CompletableFuture<GroupAnswer> a = shapers.get(si).shaper() instanceof GroupShaper gs ? s.start(si, gs) : null;
        answers.add(a);
        if (a != null) {
          pending[started++] = a;
        }
      }
      s.shapeInline(answers);
      CompletableFuture.allOf(Arrays.copyOf(pending, started)).whenComplete((v, err) -> {
        Runnable stage;
        try {
          for (int si = 0; si < answers.size(); si++) {
            if (answers.get(si) != null) {
              s.fill(si, answers.get(si).join());
            }
          }
          stage = () -> {
            try {
              result.complete(s.finish());
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          };
        } catch (Throwable t) {
          stage = () -> result.completeExceptionally(t);
        }
        sequencer.run(ticket, stage);
      });
    } catch (Throwable t) {
      sequencer.run(ticket, () -> result.completeExceptionally(t));
    }
    return result;
  }

  /** Groups whose transforms wait for an earlier group's shapers (for tests). */
  int sequencerParked() {
    return sequencer.parked();
  }

  /**
   * An asynchronous shaper's answer for a group: the contributions per live episode, or why there are
   * none.
   */
  private record GroupAnswer(List<List<RewardContribution>> perEpisode, String failure) {}

  /** One group's scoring: the raw values per shaper, the failures, then the transforms and the ledger. */
  private final class GroupScoring {
    private final List<Episode> group;
    private final List<Integer> live = new ArrayList<>();
    private final List<Episode> liveEpisodes;
    /** Per shaper: component name to values[k][turn], in order of appearance. */
    private final List<Map<String, double[][]>> raw;
    /** failures[shaper][k]: why live episode k failed in that shaper (the last reason wins); null if none. */
    private String[][] failures;
    /**
     * Per shaper: component name to reasons[k][turn] for the turns the shaper could not score (a typed
     * {@link RewardContribution#failed failure}); null until one is given.
     */
    private List<Map<String, String[][]>> scoreFailures;

    GroupScoring(List<Episode> group) {
      this.group = group;
      for (int g = 0; g < group.size(); g++) {
        if (group.get(g).status() != EpisodeStatus.FAILED) {
          live.add(g);
        }
      }
      liveEpisodes = new ArrayList<>(live.size());
      live.forEach(i -> liveEpisodes.add(group.get(i)));
      raw = new ArrayList<>(shapers.size());
      for (int si = 0; si < shapers.size(); si++) {
        raw.add(new LinkedHashMap<>(4));
      }
    }

    /**
     * Runs the synchronous shapers (those with no entry in {@code started}, or all when it is null) over every
     * live episode, here and now: episode by episode, so that each episode's turns stay in cache while every
     * shaper reads them.
     */
    void shapeInline(List<CompletableFuture<GroupAnswer>> started) {
      int count = shapers.size();
      for (int k = 0; k < liveEpisodes.size(); k++) {
        Episode e = liveEpisodes.get(k);
        for (int si = 0; si < count; si++) {
          if (started != null && started.get(si) != null) {
            continue;
          }
          ShaperEntry s = shapers.get(si);
          List<RewardContribution> cs;
          try {
            cs = Objects.requireNonNull(s.shaper().shape(e), "shape returned null");
          } catch (RuntimeException ex) {
            fail(si, k, "shaper '" + s.name() + "' failed: " + ex);
            continue;
          }
          fill(si, k, cs);
        }
      }
    }

    /** Starts an asynchronous shaper on the live episodes; the answer never fails and is bounded in time. */
    CompletableFuture<GroupAnswer> start(int si, GroupShaper shaper) {
      String name = shapers.get(si).name();
      if (liveEpisodes.isEmpty()) {
        return CompletableFuture.completedFuture(new GroupAnswer(List.of(), null));
      }
      CompletionStage<List<List<RewardContribution>>> stage;
      try {
        stage = Objects.requireNonNull(shaper.shapeGroup(List.copyOf(liveEpisodes)), "shapeGroup returned null");
      } catch (RuntimeException ex) {
        return CompletableFuture.completedFuture(new GroupAnswer(null, "shaper '" + name + "' failed: " + ex));
      }
      CompletableFuture<GroupAnswer> answer = new CompletableFuture<>();
      stage.whenComplete((r, e) -> answer.complete(e == null ? new GroupAnswer(r, null)
          : new GroupAnswer(null, "shaper '" + name + "' failed: " + unwrap(e))));
      return answer.completeOnTimeout(new GroupAnswer(null, "shaper '" + name + "' did not answer within the shaping "
          + "timeout of " + timeout.toMillis() + " ms (timeoutMillis)"), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records an asynchronous shaper's answer. */
    void fill(int si, GroupAnswer a) {
      String name = shapers.get(si).name();
      int n = liveEpisodes.size();
      String failure = a.failure();
      if (failure == null && (a.perEpisode() == null || a.perEpisode().size() != n)) {
        failure = "shaper '" + name + "' returned " + (a.perEpisode() == null ? "null"
            : a.perEpisode().size() + " results") + " for a group of " + n + " episodes";
      }
      for (int k = 0; k < n; k++) {
        List<RewardContribution> cs = failure == null ? a.perEpisode().get(k) : null;
        if (failure != null) {
          fail(si, k, failure);
        } else if (cs == null) {
          fail(si, k, "shaper '" + name + "' returned null for episode " + k + " of its group");
        } else {
          fill(si, k, cs);
        }
      }
    }

    /** Writes one episode's contributions from one shaper into the raw values, checking them. */
    void fill(int si, int k, List<RewardContribution> cs) {
      ShaperEntry s = shapers.get(si);
      Map<String, double[][]> byComponent = raw.get(si);
      for (RewardContribution c : cs) {
        double[][] values = byComponent.get(c.component());
        if (values == null) {
          values = blank();
          byComponent.put(c.component(), values);
        }
        if (c.turn() < 0 || c.turn() >= values[k].length) {
          fail(si, k, "shaper '" + s.name() + "' rewarded turn " + c.turn() + " of an episode with "
              + values[k].length + " turns");
          continue;
        }
        String[][] reasons = scoreFailures == null ? null : scoreFailures.get(si).get(c.component());
        if (!Double.isNaN(values[k][c.turn()]) || (reasons != null && reasons[k][c.turn()] != null)) {
          fail(si, k, "shaper '" + s.name() + "' gave component '" + c.component() + "' twice at turn " + c.turn());
          continue;
        }
        if (c.hasFailure()) {
          scoreFailure(si, c.component())[k][c.turn()] = c.failure();
          continue; // no value: the component is missing at this turn, never a zero
        }
        values[k][c.turn()] = c.value();
      }
    }

    private void fail(int si, int k, String reason) {
      if (failures == null) {
        failures = new String[shapers.size()][];
      }
      if (failures[si] == null) {
        failures[si] = new String[liveEpisodes.size()];
      }
      failures[si][k] = reason;
    }

    private String[][] scoreFailure(int si, String component) {
      if (scoreFailures == null) {
        scoreFailures = new ArrayList<>(shapers.size());
        for (int i = 0; i < shapers.size(); i++) {
          scoreFailures.add(new LinkedHashMap<>(2));
        }
      }
      return scoreFailures.get(si).computeIfAbsent(component, c -> {
        String[][] r = new String[liveEpisodes.size()][];
        for (int k = 0; k < r.length; k++) {
          r[k] = new String[liveEpisodes.get(k).turns().size()];
        }
        return r;
      });
    }

    /** Why shaper {@code si} could not score {@code component} at turn {@code t} of live episode k, or null. */
    private String scoreFailure(int si, String component, int k, int t) {
      if (scoreFailures == null) {
        return null;
      }
      String[][] r = scoreFailures.get(si).get(component);
      return r == null ? null : r[k][t];
    }

    private double[][] blank() {
      double[][] v = new double[liveEpisodes.size()][];
      for (int k = 0; k < v.length; k++) {
        v[k] = new double[liveEpisodes.get(k).turns().size()];
        Arrays.fill(v[k], Double.NaN);
      }
      return v;
    }

    /** The transforms, the combiner and the ledger; the group, scored. */
    List<Episode> finish() {
      List<Episode> out = new ArrayList<>(group);
      int n = live.size();
      if (failures != null) {
        for (int k = 0; k < n; k++) {
          String reason = null;
          for (String[] f : failures) {
            if (f != null && f[k] != null) {
              reason = f[k];
            }
          }
          if (reason != null) {
            out.set(live.get(k), liveEpisodes.get(k).asFailed(FailureKind.SHAPER, reason));
          }
        }
      }
      List<ComponentValues> components = new ArrayList<>();
      List<Integer> componentShaper = new ArrayList<>();
      for (int si = 0; si < shapers.size(); si++) {
        ShaperEntry s = shapers.get(si);
        for (Map.Entry<String, double[][]> e : raw.get(si).entrySet()) {
          componentShaper.add(si);
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
              String reason = scoreFailure(componentShaper.get(c), rc.component(), k, t);
              if (reason != null) {
                ledger.add(LedgerEntry.failed(t, rc.source(), rc.component(), reason));
              }
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
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The episode's shaped return: the sum of its ledger values at its turns ({@link #turnRewards} summed). */
  public static double shapedReturn(Episode episode) {
    double sum = 0;
    for (double r : turnRewards(episode)) {
      sum += r;
    }
    return sum;
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
    private Duration timeout = DEFAULT_TIMEOUT;

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

    /**
     * How long an asynchronous shaper may take over one group (default {@link #DEFAULT_TIMEOUT}); after
     * it the group's episodes fail, the reason naming the shaper and the timeout.
     */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the shaping timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public ShapingPipeline build() {
      return new ShapingPipeline(shapers, transforms, combinerName, combiner, timeout);
    }
  }
}
