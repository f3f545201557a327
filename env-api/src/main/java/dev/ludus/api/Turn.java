package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One turn of an episode: the agent's message and what came back. Turn boundaries are explicit here, so
 * the learner never infers them. Immutable and thread-safe.
 *
 * @param index the turn's index, from 0
 * @param action the agent's message
 * @param tokens the tokens behind {@code action}, or null when the backend gave none
 * @param observation the messages the environment (or its simulated user) answered with
 * @param reward the environment's own reward for this turn
 * @param terminated the task ended on this turn
 * @param truncated the episode was cut on this turn
 * @param signals facts only the environment knows, for shapers
 * @param agentMillis how long the agent took
 * @param envMillis how long the environment took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Turn(
    int index,
    Message action,
    TokenTrace tokens,
    List<Message> observation,
    double reward,
    boolean terminated,
    boolean truncated,
    Signals signals,
    long agentMillis,
    long envMillis) {
  public Turn {
    Objects.requireNonNull(action, "action");
    observation = observation == null ? List.of() : List.copyOf(observation);
    signals = signals == null ? Signals.empty() : signals;
  }

  /** This turn with {@code signals} in place of its own (everything else kept). */
  public Turn withSignals(Signals signals) {
    return new Turn(index, action, tokens, observation, reward, terminated, truncated, signals, agentMillis, envMillis);
  }
}
