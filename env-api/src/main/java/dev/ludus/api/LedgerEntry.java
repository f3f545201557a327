package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One contribution to a turn's reward: who gave it, which component, and its value before and after the
 * transforms; or a shaper's failure to score that turn ({@link #failure}). The per-turn reward the learner sees
 * is derived from the ledger; nothing is summed away before it is recorded. Immutable and thread-safe.
 *
 * @param turn the turn it belongs to
 * @param source the shaper (or {@code env} for the environment's own reward)
 * @param component the component's name within the source (a shaper may give several)
 * @param raw the value as the source computed it; NaN for a failure (there is no value, and it is not zero)
 * @param value the value after the weight and the transforms: what is summed into the turn's reward; 0 for a
 *     failure, which adds nothing
 * @param failure why the source could not score this turn ({@link RewardContribution#failed}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEntry(int turn, String source, String component, double raw, double value, String failure) {
  public LedgerEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(component, "component");
    if (failure != null) {
      raw = Double.NaN;
      value = 0;
    }
  }

  /** A scored entry. */
  public LedgerEntry(int turn, String source, String component, double raw, double value) {
    this(turn, source, component, raw, value, null);
  }

  /** {@code source} could not score {@code component} at {@code turn}, for {@code reason}. */
  public static LedgerEntry failed(int turn, String source, String component, String reason) {
    return new LedgerEntry(turn, source, component, Double.NaN, 0, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * How people and reports name a component: {@code source/component}, or just {@code source} when the two are the
   * same (a shaper with one component).
   */
  public static String label(String source, String component) {
    return source.equals(component) ? source : source + "/" + component;
  }

  /** {@link #label(String, String)} of this entry. */
  public String label() {
    return label(source, component);
  }

  /** Whether this entry records a failure to score rather than a value. */
  public boolean hasFailure() {
    return failure != null;
  }
}
