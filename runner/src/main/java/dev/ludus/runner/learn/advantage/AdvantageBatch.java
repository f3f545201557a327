package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Episode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link AdvantageEstimator} works on: the groups of one update, and optionally the critic's values.
 * Immutable (the lists are copied); thread-safe if {@code values} is.
 *
 * @param groups the groups; each holds the rollouts of one task, failed ones included (they are dropped)
 * @param values per-turn value estimates, or null when the estimator needs none
 */
public record AdvantageBatch(List<List<Episode>> groups, TurnValues values) {
  public AdvantageBatch {
    Objects.requireNonNull(groups, "groups");
    List<List<Episode>> copy = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      List<Episode> group = Objects.requireNonNull(groups.get(g), "group " + g);
      for (int i = 0; i < group.size(); i++) {
        Objects.requireNonNull(group.get(i), "episode " + i + " of group " + g);
      }
      copy.add(List.copyOf(group));
    }
    groups = List.copyOf(copy);
  }

  /** A batch of {@code groups} without values. */
  public static AdvantageBatch of(List<List<Episode>> groups) {
    return new AdvantageBatch(groups, null);
  }

  /** A batch of one group without values. */
  public static AdvantageBatch ofGroup(List<Episode> group) {
    return new AdvantageBatch(List.of(group), null);
  }

  /** This batch with the critic's values. */
  public AdvantageBatch withValues(TurnValues turnValues) {
    return new AdvantageBatch(groups, Objects.requireNonNull(turnValues, "turnValues"));
  }
}
