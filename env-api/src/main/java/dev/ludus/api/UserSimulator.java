package dev.ludus.api;

import java.util.concurrent.CompletionStage;

/**
 * A simulated user with hidden state (persona, goal, emotion, intent, profile) that answers the agent and
 * publishes what it privately knows as signals. Rule-based users complete their stages at once; users
 * driven by a language model complete them when the model answers. An environment may contain one.
 *
 * <p>Life-cycle: {@link #start} once per episode, then {@link #respond} per agent message. Not
 * thread-safe: one instance per episode. {@link #close()} is idempotent.
 */
public interface UserSimulator extends AutoCloseable {
  /** Draws the hidden state for {@code task} and {@code seed} and says the user's opening message. */
  CompletionStage<UserTurn> start(Task task, long seed);

  /** Answers the agent's message. */
  CompletionStage<UserTurn> respond(Message agentMessage);

  @Override
  default void close() {}
}
