package dev.ludus.simulators.scripted;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.scripted.ScriptedUserSignals.Act;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scripted user: opens with the first request; to a question (a message containing {@code ?}) that names
 * a held-back detail of the current turn, answers with it; to anything else, takes the turn as done and makes
 * the next request, or says the closing line and ends. Deterministic: the seed is not used. Not thread-safe: one
 * per episode. Its stages are already complete.
 */
final class ScriptedUser implements UserSimulator {
  private final ScriptedUserConfig config;
  private UserScript script;
  private int turn;
  private final Set<Integer> given = new HashSet<>();
  private boolean ended;

  ScriptedUser(ScriptedUserConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    try {
      script = UserScript.of(task);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    turn = 0;
    given.clear();
    ended = false;
    return done(script.turns().get(0).request(), Act.REQUEST, false);
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (script == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (ended) {
      return CompletableFuture.failedFuture(new IllegalStateException("the conversation is over"));
    }
    String text = agentMessage.content();
    if (text.contains("?")) {
      List<String> answers = answers(text.toLowerCase(Locale.ROOT));
      if (!answers.isEmpty()) {
        return done(String.join(" ", answers), Act.ANSWERED, false);
      }
    }
    if (turn + 1 < script.turns().size()) {
      turn++;
      given.clear();
      return done(script.turns().get(turn).request(), Act.NEXT_REQUEST, false);
    }
    ended = true;
    return done(config.closing(), Act.CLOSING, true);
  }

  private List<String> answers(String question) {
    List<UserScript.Fact> facts = script.turns().get(turn).facts();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < facts.size(); i++) {
      if (given.contains(i)) {
        continue;
      }
      UserScript.Fact f = facts.get(i);
      boolean named = f.keywords().stream().anyMatch(k -> question.contains(k.toLowerCase(Locale.ROOT)));
      if (named || (!config.strict() && out.isEmpty())) {
        given.add(i);
        out.add(f.answer());
      }
    }
    return out;
  }

  private CompletionStage<UserTurn> done(String reply, Act act, boolean end) {
    Signals s = Signals.builder().put(ScriptedUserSignals.ACT, act.wireName())
        .put(ScriptedUserSignals.TURN, turn).put(ScriptedUserSignals.FACTS_GIVEN, given.size()).build();
    return CompletableFuture.completedFuture(new UserTurn(Message.user(reply), s, end));
  }
}
