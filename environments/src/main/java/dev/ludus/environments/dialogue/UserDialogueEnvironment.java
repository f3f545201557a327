package dev.ludus.environments.dialogue;

import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The skeleton of an environment built around a simulated user: reset gives the system prompt and the user's opening,
 * each step hands the agent's message to the user and turns its reply into a step result ({@link #result}), and
 * closing closes the user. The {@link UserConversation} keeps the life-cycle (refusals, the turn count); a dialogue
 * says only its prompt, what it notes from the opening ({@link #opened}) and how it pays and ends. Composes the user's
 * stages and never blocks. Not thread-safe: one episode at a time.
 */
public abstract class UserDialogueEnvironment implements AsyncEnvironment {
  private final UserConversation conversation;
  private final String systemPrompt;

  /** @param user the simulated user, owned: closed with the environment */
  protected UserDialogueEnvironment(UserSimulator user, String systemPrompt) {
    this.conversation = new UserConversation(user);
    this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
  }

  /** The conversation with the user: its turn count, and {@link UserConversation#end()} when the episode ends. */
  protected final UserConversation conversation() {
    return conversation;
  }

  /** Whether the agent has used {@code maxTurns} turns. */
  protected final boolean atTurnLimit(int maxTurns) {
    return conversation.turns() >= maxTurns;
  }

  @Override
  public final CompletionStage<Reset> reset(Task task, long seed) {
    return conversation.start(task, seed).thenApply(opening -> {
      opened(opening);
      return UserConversation.reset(systemPrompt, opening);
    });
  }

  /** Notes what the environment keeps from the user's opening turn (on reset); by default nothing. */
  protected void opened(UserTurn opening) {}

  /** By default the user's reply to {@code action}, as {@link #result} reads it. */
  @Override
  public CompletionStage<StepResult> step(Message action) {
    return conversation.respond(action).thenApply(this::result);
  }

  /** The step result of the user's reply; ends the conversation when the episode ends. */
  protected abstract StepResult result(UserTurn said);

  @Override
  public final void close() {
    conversation.close();
  }
}
