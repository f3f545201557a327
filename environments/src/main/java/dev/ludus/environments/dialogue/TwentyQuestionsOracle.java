package dev.ludus.environments.dialogue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.questions.Candidates;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.Question;
import dev.ludus.simulators.questions.QuestionGrammar;
import dev.ludus.simulators.questions.QuestionGrammar.Ask;
import dev.ludus.simulators.questions.QuestionGrammar.Guess;
import dev.ludus.simulators.questions.QuestionGrammar.Utterance;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plays twenty questions by greedy information gain: it rebuilds the candidates consistent with every
 * answer in the conversation, asks the question whose expected gain is largest (the split closest to half;
 * the first in {@link Question#all()} order on ties), and names the item once at most two remain (one
 * when a wrong guess would end the episode).
 * Stateless and thread-safe: everything it knows it reads from the request.
 */
final class TwentyQuestionsOracle implements Agent {
  private final List<Item> pool;
  private final int guessAt;

  TwentyQuestionsOracle(TwentyQuestionsConfig config) {
    this.pool = config.pool();
    // With two left, guessing one costs 1.5 turns on average against 2 for a question, unless a wrong guess
    // ends the game.
    this.guessAt = config.wrongGuessEndsEpisode() ? 1 : 2;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    Candidates c = consistent(pool, request.conversation());
    if (c.count() == 0) {
      return CompletableFuture.completedFuture(
          AgentResponse.failure("no item in play is consistent with the user's answers"));
    }
    String text;
    if (c.count() <= guessAt) {
      text = "Is it the " + c.items().get(0).name() + "?";
    } else {
      Question best = null;
      double bestGain = -1;
      for (Question q : Question.all()) {
        double gain = c.expectedGainBits(q);
        if (gain > bestGain + 1e-12) {
          best = q;
          bestGain = gain;
        }
      }
      text = best.text();
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }

  /** The items of {@code pool} consistent with every answered question and wrong guess in the conversation. */
  static Candidates consistent(List<Item> pool, List<Message> conversation) {
    Candidates c = new Candidates(pool);
    for (int i = 0; i < conversation.size(); i++) {
      Message m = conversation.get(i);
      if (m.role() != Role.ASSISTANT || i + 1 >= conversation.size()
          || conversation.get(i + 1).role() != Role.USER) {
        continue;
      }
      Optional<Boolean> yes = QuestionGrammar.readReply(conversation.get(i + 1).content());
      if (yes.isEmpty()) {
        continue;
      }
      Utterance u = QuestionGrammar.parse(m.content());
      if (u instanceof Ask ask) {
        c = c.after(ask.question(), yes.get());
      } else if (u instanceof Guess guess && !yes.get()) {
        c = c.without(guess.item());
      }
    }
    return c;
  }
}
