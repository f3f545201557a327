package dev.ludus.api;

import java.util.Objects;

/**
 * A reward a shaper assigns to one turn, before weights and transforms; or, as a {@link #failed typed failure},
 * the statement that the shaper could not score that turn (a judge whose answers stayed malformed, an endpoint
 * that failed). A failure is never a value: the pipeline leaves the component out at that turn (combiners see
 * it missing, as an {@code ensemble} member that did not answer) and records the failure in the ledger with its
 * reason. Immutable and thread-safe.
 *
 * @param turn the turn it rewards
 * @param component the component's name (a shaper may report several, e.g. {@code format} and
 *     {@code correctness})
 * @param value the raw value; NaN exactly when {@code failure} is set
 * @param failure why the shaper could not score this turn, or null when it did
 */
public record RewardContribution(int turn, String component, double value, String failure) {
  public RewardContribution {
    Objects.requireNonNull(component, "component");
    if (failure != null) {
      if (failure.isBlank()) {
        throw new IllegalArgumentException("reward component '" + component + "' at turn " + turn
            + ": a failure needs its reason");
      }
      value = Double.NaN;
    } else if (Double.isNaN(value)) {
      throw new IllegalArgumentException("reward component '" + component + "' at turn " + turn + " is NaN");
    }
  }

  /** A scored contribution. */
  public RewardContribution(int turn, String component, double value) {
    this(turn, component, value, null);
  }

  /** The shaper could not score {@code component} at {@code turn}, for {@code reason}. */
  public static RewardContribution failed(int turn, String component, String reason) {
    return new RewardContribution(turn, component, Double.NaN, Objects.requireNonNull(reason, "reason"));
  }

  /** Whether this is a failure rather than a value. */
  public boolean hasFailure() {
    return failure != null;
  }
}
