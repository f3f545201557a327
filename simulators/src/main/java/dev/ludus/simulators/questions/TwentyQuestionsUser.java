package dev.ludus.simulators.questions;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.questions.QuestionGrammar.Ask;
import dev.ludus.simulators.questions.QuestionGrammar.Guess;
import dev.ludus.simulators.questions.QuestionGrammar.Unclear;
import dev.ludus.simulators.questions.QuestionGrammar.Utterance;
import dev.ludus.simulators.questions.TwentyQuestionsSignals.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-based twenty-questions user: thinks of one item of its pool and answers truthfully from the
 * catalogue. Not thread-safe: one instance per episode. Its stages are already complete.
 */
final class TwentyQuestionsUser implements UserSimulator {
  static final String OPENING =
      "I'm thinking of something. Ask me yes/no questions to find out what it is, and name it when you know.";
  static final String YES = "Yes.";
  static final String NO = "No.";
  static final String WRONG = "No, that's not it.";

  private final TwentyQuestionsUserConfig config;
  private final List<Item> pool;
  private Item target;
  private Candidates candidates;
  private boolean ended;

  TwentyQuestionsUser(TwentyQuestionsUserConfig config) {
    this.config = config;
    this.pool = config.pool();
  }

  /**
   * Draws the target: the task's {@code target} field when it has one (it must name an item of the pool),
   * else an item of the pool drawn from the task seed. {@code seed} is not used: given its target, this
   * user has no randomness.
   */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    Item chosen;
    try {
      chosen = TwentyQuestionsRules.target(pool, task);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    target = chosen;
    candidates = new Candidates(pool);
    ended = false;
    return CompletableFuture.completedFuture(new UserTurn(Message.user(OPENING), state().build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (target == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (ended) {
      return CompletableFuture.failedFuture(new IllegalStateException("the game is over: the target was named"));
    }
    Utterance u = QuestionGrammar.parse(agentMessage.content());
    String reply;
    Reply kind;
    String question = null;
    String invalid = null;
    if (u instanceof Ask ask) {
      boolean yes = ask.question().test(target);
      candidates = candidates.after(ask.question(), yes);
      reply = yes ? YES : NO;
      kind = yes ? Reply.YES : Reply.NO;
      question = ask.question().text();
    } else if (u instanceof Guess guess) {
      if (guess.item().equals(target)) {
        ended = true;
        candidates = new Candidates(List.of(target));
        reply = TwentyQuestionsRules.rightGuess(target);
        kind = Reply.RIGHT_GUESS;
      } else {
        candidates = candidates.without(guess.item());
        reply = WRONG;
        kind = Reply.WRONG_GUESS;
      }
    } else {
      invalid = ((Unclear) u).reason();
      reply = notUnderstood(invalid);
      kind = Reply.NOT_UNDERSTOOD;
    }
    Signals.Builder signals = state().put(TwentyQuestionsSignals.REPLY, kind.wireName());
    if (question != null) {
      signals.put(TwentyQuestionsSignals.QUESTION, question);
    }
    if (invalid != null) {
      signals.put(StandardSignals.INVALID_ACTION, invalid);
    }
    return CompletableFuture.completedFuture(new UserTurn(Message.user(reply), signals.build(), ended));
  }

  static String notUnderstood(String reason) {
    return "I don't understand. " + reason + " Ask a yes/no question, or name what you think it is.";
  }

  private Signals.Builder state() {
    Signals.Builder b = Signals.builder()
        .put(StandardSignals.CANDIDATE_COUNT, candidates.count())
        .put(StandardSignals.CANDIDATE_ENTROPY, candidates.entropyBits())
        .put(TwentyQuestionsSignals.TARGET, target.name());
    if (candidates.count() <= config.listLimit()) {
      b.put(StandardSignals.CANDIDATES, candidates.names());
    }
    return b;
  }
}
