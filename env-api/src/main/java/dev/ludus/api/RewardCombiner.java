package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * Merges the (transformed) reward components of a group into each turn's reward. It says how much each
 * component contributes at each turn, so that the reward ledger keeps every contribution; where the
 * combination is not a sum of per-component parts (a minimum, a median), the difference is an explicit
 * adjustment. The turn reward is the sum of the contributions plus the adjustment.
 *
 * <p>Thread-safety: implementations are thread-safe; stateful ones (multipliers, dynamic weights)
 * synchronize.
 */
@FunctionalInterface
public interface RewardCombiner {

  /**
   * What a combination gives.
   *
   * @param contributions for each component, in the order given, its contribution {@code [i][t]} (NaN
   *     where it had no value); a component of weight 0 must contribute 0
   * @param adjustment a per-turn term that is not any one component's, or null when there is none
   */
  record Combination(List<double[][]> contributions, double[][] adjustment) {
    public Combination {
      contributions = List.copyOf(Objects.requireNonNull(contributions, "contributions"));
    }
  }

  Combination combine(List<ComponentValues> components);
}
