package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * The environment's answer to one agent message. Immutable and thread-safe.
 *
 * <p>{@code terminated} means the task reached an end state (solved, failed, game over) and
 * {@code truncated} means the episode was cut for a reason outside the task (a turn limit). They are kept
 * apart because bootstrapping and credit assignment treat them differently.
 *
 * @param observation the messages the agent sees next (tool results, the user's reply, a new view)
 * @param reward the environment's own reward for this step (finite)
 * @param terminated the task ended
 * @param truncated the episode was cut short
 * @param signals facts for shapers only, never shown to the agent
 */
public record StepResult(
    List<Message> observation, double reward, boolean terminated, boolean truncated, Signals signals) {
  public StepResult {
    observation = List.copyOf(Objects.requireNonNull(observation, "observation"));
    signals = signals == null ? Signals.empty() : signals;
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, was " + reward);
    }
  }

  /** Whether the episode is over, for either reason. */
  public boolean done() {
    return terminated || truncated;
  }

  /** A step that goes on, with no reward. */
  public static StepResult next(Message observation, Signals signals) {
    return new StepResult(List.of(observation), 0.0, false, false, signals);
  }
}
