package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.api.Episode;
import dev.ludus.runner.learn.advantage.AdvantageEstimator;
import dev.ludus.runner.learn.advantage.TokenAdvantages;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups an iteration trains on ({@link TrainConfig.DynamicSampling}): all of the first round's, or, with
 * dynamic sampling, those with a signal (some nonzero advantage), refilled by further rounds of new tasks up to
 * {@code tasksPerIteration} groups or {@code maxRounds} rounds. Stateless but for what it is given.
 */
final class GroupSampler {
  private final TrainConfig config;
  private final Rollouts rollouts;
  private final AdvantageEstimator estimator;

  GroupSampler(TrainConfig config, Rollouts rollouts, AdvantageEstimator estimator) {
    this.config = config;
    this.rollouts = rollouts;
    this.estimator = estimator;
  }

  /** The groups to train on from iteration {@code it}'s first round {@code first}. */
  Played select(List<Episode> first, DjlLmAgent policy, String runId, int it) throws InterruptedException {
    List<List<Episode>> groups = Trainer.groups(first);
    if (!config.dynamicSampling().enabled()) {
      return new Played(first, groups, new Trainer.SamplingStats(false, 1, groups.size(), groups.size(), 0));
    }
    List<Episode> all = new ArrayList<>(first);
    List<List<Episode>> kept = new ArrayList<>();
    int played = 0;
    int dropped = 0;
    int rounds = 1;
    while (true) {
      for (List<Episode> g : groups) {
        played++;
        if (hasSignal(g)) {
          kept.add(g);
        } else {
          dropped++;
        }
      }
      if (kept.size() >= config.tasksPerIteration() || rounds >= config.dynamicSampling().maxRounds()) {
        break;
      }
      List<Episode> more = rollouts.round(policy, runId, it, rounds);
      all.addAll(more);
      groups = Trainer.groups(more);
      rounds++;
    }
    List<List<Episode>> train = kept.size() > config.tasksPerIteration()
        ? new ArrayList<>(kept.subList(0, config.tasksPerIteration())) : kept;
    return new Played(all, train, new Trainer.SamplingStats(true, rounds, played, train.size(), dropped));
  }

  /** Whether the estimator gives some token of the group a nonzero advantage. */
  private boolean hasSignal(List<Episode> group) {
    for (TokenAdvantages ta : estimator.estimateGroup(group)) {
      for (float[] turn : ta.advantages()) {
        if (!SampleBuilder.allZero(turn)) {
          return true;
        }
      }
    }
    return false;
  }
}
