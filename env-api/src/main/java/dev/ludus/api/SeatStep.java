package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * What one seat gets from a step of a multi-agent environment. Immutable and thread-safe.
 *
 * @param observation the messages this seat sees next (the other side's words, a verdict); may be empty
 * @param reward this seat's own reward for the step (finite)
 * @param signals facts for the shapers of this seat's episode, never shown to any agent; the value of a secret one
 *     must never be readable by another seat
 */
public record SeatStep(List<Message> observation, double reward, Signals signals) {
  /** Nothing for this seat: no message, no reward, no signal. */
  public static final SeatStep NOTHING = new SeatStep(List.of(), 0, Signals.empty());

  public SeatStep {
    observation = List.copyOf(Objects.requireNonNull(observation, "observation"));
    signals = signals == null ? Signals.empty() : signals;
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, was " + reward);
    }
  }

  /** {@code message} for this seat, with no reward. */
  public static SeatStep of(Message message, Signals signals) {
    return new SeatStep(List.of(message), 0, signals);
  }
}
