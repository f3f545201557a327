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
   * guess-number: the entropy (bits) left in expectation by the guesses so far: {@code log2(n)} at reset,
   * then after each turn the value before minus the guess's expected information gain over the range it was
   * made in (0 for a guess outside that range, or no guess). Unlike the realised gain (the change in
   * {@code candidate-entropy}), it does not depend on which side of the guess the hidden number lies, so as a
   * per-turn reward ({@code info-gain} with {@code signal: expected-entropy, count: false}) it grades the
   * split, not the luck. Bisection maximises it.
   */
  public static final SignalKey<Double> EXPECTED_ENTROPY = SignalKey.of("expected-entropy", Double.class);

  /**
   * gridworld and frozen-lake: the fewest actions that reach the goal from the current state if every
   * move went as intended (for gridworld counting picking up and opening). A potential for
   * potential-based shaping; 0 on the goal, absent once the episode ended elsewhere (in a hole).
   */
  public static final SignalKey<Integer> STEPS_TO_GOAL = SignalKey.of("steps-to-goal", Integer.class);
}
