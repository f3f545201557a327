package dev.ludus.environments.dialogue;

import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The life-cycle a dialogue environment shares with every other one built around a simulated user: reset starts the
 * user (refused after close), each step passes the agent's message to the user and counts the turn (refused before
 * reset, after the episode ended and after close, with a message saying which), and closing closes the user once.
 * The environment keeps what is its own: the prompt, the reward and when its episode ends ({@link #end()}).
 *
 * <p>Not thread-safe: like the environment that owns it, one episode at a time.
 */
public final class UserConversation implements AutoCloseable {
  private final UserSimulator user;
  private boolean running;
  private boolean closed;
  private int turns;

  /** @param user the simulated user, owned: closed with the conversation */
  public UserConversation(UserSimulator user) {
    this.user = Objects.requireNonNull(user, "user");
  }

  /** Starts a new episode with the user; the stage completes with its opening turn, and the conversation runs. */
  public CompletionStage<UserTurn> start(Task task, long seed) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("reset after close"));
    }
    running = false;
    turns = 0;
    return user.start(task, seed).thenApply(opening -> {
      running = true;
      return opening;
    });
  }

  /** The reset a dialogue environment gives: its system prompt, then the user's opening message and signals. */
  public static Reset reset(String systemPrompt, UserTurn opening) {
    return new Reset(List.of(Message.system(systemPrompt), opening.reply()), List.of(), opening.signals());
  }

  /** Counts the agent's turn and passes its message to the user; fails when no episode runs. */
  public CompletionStage<UserTurn> respond(Message action) {
    Objects.requireNonNull(action, "action");
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          closed ? "step after close" : turns == 0 ? "step before reset" : "step after the episode ended"));
    }
    turns++;
    return user.respond(action);
  }

  /**
   * Passes a message the environment writes in the agent's place (tutoring's end tag at the turn limit) to the
   * user, without counting a turn.
   */
  public CompletionStage<UserTurn> respondForAgent(Message message) {
    return user.respond(message);
  }

  /** The agent's turns in this episode so far. */
  public int turns() {
    return turns;
  }

  /** Ends the episode: further steps are refused until the next reset. */
  public void end() {
    running = false;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      running = false;
      user.close();
    }
  }
}
