package dev.ludus.simulators.persuasion;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-based persuadee: reads each message with {@link PersuasionReader}, moves its hidden state with
 * {@link PersuasionRules} and answers with {@link PersuadeeReplies}. Not thread-safe: one instance per episode. Its
 * stages are already complete.
 */
final class PersuasionUser implements UserSimulator {
  private final PersonaTable table;
  private PersuasionState state;
  private long seed;

  PersuasionUser(PersuasionUserConfig config) {
    this.table = config.table();
  }

  /** The persona is the task's {@code persona} field or drawn from the task seed; {@code seed} varies the wording. */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    Persona persona;
    try {
      persona = table.choose(task);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    this.state = PersuasionRules.initial(persona, task.seed());
    this.seed = seed;
    return CompletableFuture.completedFuture(
        new UserTurn(Message.user(PersuadeeReplies.OPENING), hidden().build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (state == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (state.ended()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the conversation is over"));
    }
    PersuasionRules.Outcome o = PersuasionRules.step(state, PersuasionReader.read(agentMessage.content()));
    state = o.next();
    Signals.Builder b = hidden()
        .put(PersuasionSignals.STRATEGIES, o.strategies())
        .put(PersuasionSignals.REPETITION, o.repetition())
        .put(PersuasionSignals.INCONSISTENCY, o.inconsistency().isPresent());
    o.inconsistency().ifPresent(why -> b.put(PersuasionSignals.CONTRADICTION, why));
    if (!o.reading().readable()) {
      b.put(StandardSignals.INVALID_ACTION, o.reading().whyUnreadable());
    }
    if (state.ended()) {
      b.put(PersuasionSignals.DONATION, state.donationNow());
    }
    return CompletableFuture.completedFuture(
        new UserTurn(Message.user(PersuadeeReplies.reply(o, seed)), b.build(), state.ended()));
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(PersuasionSignals.PROPENSITY, state.propensity())
        .put(PersuasionSignals.RESISTANCE, state.resistance())
        .put(PersuasionSignals.DONATION_INTENT, state.willingness())
        .put(PersuasionSignals.PERSONA, state.persona().id());
  }
}
