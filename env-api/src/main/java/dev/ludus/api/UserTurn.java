package dev.ludus.api;

import java.util.Objects;

/**
 * What a simulated user says, and what it privately knows. Immutable and thread-safe.
 *
 * @param reply the user's message to the agent
 * @param signals the user's hidden state made available to shapers (emotion score, candidates left, ...)
 * @param ended the user ends the conversation (goal reached, gave up, left)
 */
public record UserTurn(Message reply, Signals signals, boolean ended) {
  public UserTurn {
    Objects.requireNonNull(reply, "reply");
    signals = signals == null ? Signals.empty() : signals;
    if (reply.role() != Role.USER) {
      throw new IllegalArgumentException("a simulated user speaks with role user, not " + reply.role().wireName());
    }
  }
}
