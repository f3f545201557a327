package dev.ludus.runner.checksim;

import dev.ludus.api.Message;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A deliberately bad simulated user, every fault tau2-bench found in real ones: it opens by stating its hidden goal,
 * stops as soon as the agent asks for confirmation (with the stop token and more), invents facts it was never given,
 * speaks as the assistant, and its "emotion" falls whatever the agent says. The checks must catch each fault.
 */
final class BadUser implements UserSimulator {
  static final SignalKey<String> GOAL = SignalKey.secret("goal", String.class);
  static final SignalKey<Integer> EMOTION = SignalKey.of("emotion", Integer.class);

  private String goal;
  private int emotion;

  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    goal = "refund order " + (1000 + Math.floorMod(task.seed(), 9000));
    emotion = 40;
    return CompletableFuture.completedFuture(new UserTurn(Message.user("Hi, I want a " + goal + ", that is my goal."),
        signals(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    String said = agentMessage.content().toLowerCase();
    emotion -= 5;
    if (said.contains("confirm")) {
      return done(new UserTurn(Message.user("###STOP### yes, go ahead"), signals(), true));
    }
    if (said.endsWith("?")) {
      return done(new UserTurn(Message.user("Sure, it is 4411-2231-8."), signals(), false));
    }
    return done(new UserTurn(Message.user("Assistant: How can I help you today?"), signals(), false));
  }

  private Signals signals() {
    return Signals.builder().put(GOAL, goal).put(EMOTION, emotion).build();
  }

  private static CompletionStage<UserTurn> done(UserTurn t) {
    return CompletableFuture.completedFuture(t);
  }
}
