package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.PreferenceLoss;
import dev.ludus.runner.learn.PreferencePair;
import dev.ludus.runner.learn.PreferenceStats;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageStats;
import dev.ludus.shaping.ShapingPipeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The preference algorithms' iteration ({@link TrainConfig.Algorithm}: {@code dpo}, {@code ipo}, {@code raft}): what
 * the trainer does with an iteration's scored groups instead of estimating advantages.
 *
 * <p>Design. Both rank the episodes of a group by their shaped return (the sum of their final per-turn rewards:
 * what PPO would maximise), using only episodes that did not fail and whose every agent turn carries the token ids
 * the policy produced (token in, token out: a preference is trained on exactly those tokens). DPO and IPO mine one
 * pair per group, its best episode against its worst, as online DPO does with a group of samples per prompt; a group
 * whose best and worst score alike ranks nothing and is skipped. RAFT keeps each group's best {@code topK} episodes
 * that score above the group's worst and imitates their agent turns at the imitation learning rate (a
 * supervised step, like the warm start's). The pairs or
 * demonstrations are shuffled and split into {@code miniBatches} steps per pass, {@code epochs} passes, as PPO's
 * samples are. Stateless; not thread-safe only in that it drives the learner, which serializes its own calls.
 */
final class PreferenceTraining {
  private PreferenceTraining() {}

  /** An iteration of {@code algorithm} on {@code played}'s groups. */
  static Iteration learn(TrainConfig config, Played played, double rolloutSeconds,
      double scoringSeconds, PolicyLearner learner, int it) {
    long t1 = System.nanoTime();
    TrainConfig.Algorithm algorithm = config.algorithm();
    List<List<Episode>> groups = played.groups();
    Random shuffle = new Random(Rollouts.trainingSeed(config.seed(), it));
    List<UpdateStats> updates = new ArrayList<>();
    IterationMetrics.Preference summary;
    int samples;
    if (algorithm == TrainConfig.Algorithm.RAFT) {
      List<Episode> kept = new ArrayList<>();
      int tied = 0;
      for (List<Episode> g : groups) {
        List<Episode> best = best(g, config.preference().topK());
        tied += best.isEmpty() ? 1 : 0;
        kept.addAll(best);
      }
      List<Demonstration> demos = new ArrayList<>();
      for (Episode e : kept) {
        for (Turn t : e.turns()) {
          if (t.tokens() != null && t.tokens().outputIds().length > 0) {
            demos.add(Demonstration.of(t.tokens()));
          }
        }
      }
      samples = demos.size();
      for (List<Demonstration> part : parts(demos, config, shuffle)) {
        ImitationStats s = learner.imitate(part);
        updates.add(new UpdateStats(s.loss(), s.loss(), 0, s.entropy(), 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0,
            s.gradNorm(), s.tokens(), s.samples(), s.applied(), s.policyVersion(), s.step(), s.rows(),
            s.paddedCells()));
      }
      summary = new IterationMetrics.Preference("raft", groups.size(), tied, 0, kept.size(), null, null, null, null);
    } else {
      PreferenceLoss loss = algorithm == TrainConfig.Algorithm.DPO ? PreferenceLoss.DPO : PreferenceLoss.IPO;
      List<PreferencePair> pairs = new ArrayList<>();
      for (List<Episode> g : groups) {
        PreferencePair p = pair(g);
        if (p != null) {
          pairs.add(p);
        }
      }
      samples = pairs.size();
      PreferenceStats last = null;
      for (List<PreferencePair> part : parts(pairs, config, shuffle)) {
        PreferenceStats s = learner.preferenceStep(part, loss, config.preference().beta());
        last = s;
        updates.add(new UpdateStats(s.loss(), s.loss(), 0, s.entropy(), 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0,
            s.gradNorm(),
            s.tokens(), 2 * s.pairs(), s.applied(), s.policyVersion(), s.step(), s.rows(), s.paddedCells()));
      }
      summary = new IterationMetrics.Preference(algorithm.name().toLowerCase(java.util.Locale.ROOT), groups.size(),
          groups.size() - pairs.size(), pairs.size(), 0, last == null ? null : last.accuracy(),
          last == null ? null : last.margin(), last == null ? null : last.chosenReward(),
          last == null ? null : last.rejectedReward());
    }
    double seconds = (System.nanoTime() - t1) / 1e9;
    return new Iteration(played.episodes(), updates, samples, 0, 0, 0, 0, rolloutSeconds, seconds,
        scoringSeconds, AdvantageStats.of(List.of()), played.sampling(), new IterationMetrics.Layout(
            learner.config().packing(), updates.stream().mapToInt(UpdateStats::rows).sum(), 0), summary);
  }

  /** The group's best usable episode against its worst, or null when they score alike or fewer than two are usable. */
  static PreferencePair pair(List<Episode> group) {
    List<Episode> usable = usable(group);
    if (usable.size() < 2) {
      return null;
    }
    Episode best = usable.get(0);
    Episode worst = usable.get(usable.size() - 1);
    if (ShapingPipeline.shapedReturn(best) - ShapingPipeline.shapedReturn(worst) <= 1e-9) {
      return null;
    }
    return new PreferencePair(turns(best), turns(worst));
  }

  /** Up to {@code topK} of the group's usable episodes that score above its worst, best first. */
  static List<Episode> best(List<Episode> group, int topK) {
    List<Episode> usable = usable(group);
    if (usable.size() < 2) {
      return List.of();
    }
    double worst = ShapingPipeline.shapedReturn(usable.get(usable.size() - 1));
    List<Episode> out = new ArrayList<>();
    for (Episode e : usable) {
      if (out.size() < topK && ShapingPipeline.shapedReturn(e) - worst > 1e-9) {
        out.add(e);
      }
    }
    return out;
  }

  /** The episodes that did not fail and whose agent turns all carry their token ids, best shaped return first. */
  private static List<Episode> usable(List<Episode> group) {
    List<Episode> out = new ArrayList<>();
    for (Episode e : group) {
      if (e.status() == EpisodeStatus.FAILED || e.turns().isEmpty()) {
        continue;
      }
      boolean traced = e.turns().stream().allMatch(t -> t.tokens() != null && t.tokens().outputIds().length > 0);
      if (traced) {
        out.add(e);
      }
    }
    // stable: equal returns keep the group's order (episode ids), so the ranking is deterministic
    out.sort(Comparator.comparingDouble(ShapingPipeline::shapedReturn).reversed());
    return out;
  }

  private static List<Sample> turns(Episode e) {
    List<Sample> out = new ArrayList<>();
    for (Turn t : e.turns()) {
      TokenTrace trace = t.tokens();
      int n = trace.outputIds().length;
      out.add(new Sample(trace.promptIds(), trace.outputIds(), new float[n], new float[n], null,
          trace.policyVersion()));
    }
    return out;
  }

  /** {@code items} shuffled and split into {@code miniBatches} parts per pass, {@code epochs} passes. */
  private static <T> List<List<T>> parts(List<T> items, TrainConfig config, Random shuffle) {
    List<List<T>> out = new ArrayList<>();
    if (items.isEmpty()) {
      return out;
    }
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      List<T> order = new ArrayList<>(items);
      Collections.shuffle(order, shuffle);
      int n = Math.min(config.miniBatches(), order.size());
      for (int p = 0; p < n; p++) {
        out.add(order.subList(p * order.size() / n, (p + 1) * order.size() / n));
      }
    }
    return out;
  }
}
