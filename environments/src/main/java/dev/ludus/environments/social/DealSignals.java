package dev.ludus.environments.social;

import dev.ludus.api.SignalKey;

/** The signals of {@code deal-or-no-deal}, published per seat (besides {@code success} and {@code invalid-action}). */
public final class DealSignals {
  private DealSignals() {}

  /**
   * The seat's private values, as its opening shows them ({@code book:4 hat:1 ball:2}); published at the start of
   * the seat's episode. Secret: no other seat may read it.
   */
  public static final SignalKey<String> VALUES = SignalKey.secret("values", String.class);

  /** At the end: whether the two choices added up to all the items (also {@code success}). */
  public static final SignalKey<Boolean> AGREEMENT = SignalKey.of("agreement", Boolean.class);

  /** At the end: the seat's points, Σ count·value of what it took on agreement, else 0 (its reward). */
  public static final SignalKey<Integer> SCORE = SignalKey.of("score", Integer.class);

  /** At the end: both seats' points together, for shaping towards deals good for both. */
  public static final SignalKey<Integer> JOINT_SCORE = SignalKey.of("joint-score", Integer.class);
}
