package dev.ludus.simulators.profile;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-based personalisation user: parses the agent's {@link ProfileAnswer}, moves its state with
 * {@link ConfidantRules} and answers with {@link ConfidantReplies}. It never ends the conversation itself. Not
 * thread-safe: one instance per episode. Its stages are already complete.
 */
final class PersonalisationUser implements UserSimulator {
  private final PersonalisationUserConfig config;
  private final ProfileTable table;
  private ConfidantState state;
  private long seed;

  PersonalisationUser(PersonalisationUserConfig config) {
    this.config = config;
    this.table = config.table();
  }

  /** The profile is the task's {@code profile} field or drawn from the task seed; {@code seed} varies the wording. */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    UserProfile profile;
    try {
      profile = table.choose(task);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    this.state = ConfidantRules.initial(profile, ConfidantReplies.OPENING);
    this.seed = seed;
    return CompletableFuture.completedFuture(new UserTurn(Message.user(ConfidantReplies.OPENING),
        hidden().put(PersonalisationSignals.FACTS_REVEALED, 0).build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (state == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    Signals.Builder b = hidden();
    String reply;
    ProfileAnswer.Parse parse = ProfileAnswer.parse(agentMessage.content());
    if (parse instanceof ProfileAnswer.Parsed parsed) {
      ConfidantRules.Outcome o = ConfidantRules.step(state, parsed.answer(), table, config.revealShare());
      reply = ConfidantReplies.reply(o, seed);
      state = ConfidantRules.said(o.next(), reply);
      b.put(PersonalisationSignals.PROFILE_F1, o.f1())
          .put(PersonalisationSignals.RESPONSE_OK, o.responseOk())
          .put(PersonalisationSignals.RESPONSE_ISSUES, o.issues().stream().map(ResponseCheck::wireName).toList())
          .put(PersonalisationSignals.TOPICS, o.topics());
    } else {
      reply = ConfidantReplies.MALFORMED;
      state = ConfidantRules.said(ConfidantRules.malformed(state), reply);
      b.put(PersonalisationSignals.PROFILE_F1, 0.0)
          .put(StandardSignals.INVALID_ACTION, ((ProfileAnswer.Malformed) parse).reason());
    }
    b.put(PersonalisationSignals.FACTS_REVEALED, state.revealed().size());
    return CompletableFuture.completedFuture(new UserTurn(Message.user(reply), b.build(), false));
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(PersonalisationSignals.PROFILE, state.profile().lines())
        .put(PersonalisationSignals.PROFILE_ID, state.profile().id());
  }
}
