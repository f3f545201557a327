package dev.ludus.api;

import java.util.Objects;

/**
 * A reward a shaper assigns to one turn, before weights and transforms. Immutable and thread-safe.
 *
 * @param turn the turn it rewards
 * @param component the component's name (a shaper may report several, e.g. {@code format} and
 *     {@code correctness})
 * @param value the raw value
 */
public record RewardContribution(int turn, String component, double value) {
  public RewardContribution {
    Objects.requireNonNull(component, "component");
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("reward component '" + component + "' at turn " + turn + " is NaN");
    }
  }
}
