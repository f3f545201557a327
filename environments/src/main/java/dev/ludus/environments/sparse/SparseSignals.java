package dev.ludus.environments.sparse;

import dev.ludus.api.SignalKey;

/**
 * The signal keys the sparse games publish beyond {@link dev.ludus.api.StandardSignals}. Constants only;
 * thread-safe.
 */
public final class SparseSignals {
  private SparseSignals() {}

  /** guess-number: the hidden number. Secret: it must never be readable from the observation. */
  public static final SignalKey<Integer> TARGET = SignalKey.secret("target", Integer.class);

  /** guess-number: the numbers still consistent with every answer so far. */
  public static final SignalKey<FeasibleRange> FEASIBLE_RANGE =
      SignalKey.of("feasible-range", FeasibleRange.class);

  /**
   * gridworld and frozen-lake: the fewest actions that reach the goal from the current state if every
   * move went as intended (for gridworld counting picking up and opening). A potential for
   * potential-based shaping; 0 on the goal, absent once the episode ended elsewhere (in a hole).
   */
  public static final SignalKey<Integer> STEPS_TO_GOAL = SignalKey.of("steps-to-goal", Integer.class);
}
