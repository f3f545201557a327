package dev.ludus.api;

import java.util.Objects;

/**
 * One contribution to a turn's reward: who gave it, which component, and its value before and after the
 * transforms. The per-turn reward the learner sees is derived from the ledger; nothing is summed away
 * before it is recorded. Immutable and thread-safe.
 *
 * @param turn the turn it belongs to
 * @param source the shaper (or {@code env} for the environment's own reward)
 * @param component the component's name within the source (a shaper may give several)
 * @param raw the value as the source computed it
 * @param value the value after the weight and the transforms: what is summed into the turn's reward
 */
public record LedgerEntry(int turn, String source, String component, double raw, double value) {
  public LedgerEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(component, "component");
  }
}
