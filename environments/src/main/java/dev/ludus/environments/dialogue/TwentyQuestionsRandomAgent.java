package dev.ludus.environments.dialogue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.Question;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Acts at random within the grammar: one time in four it names a random item in play, otherwise it asks a
 * random question of {@link Question#all()}. Its randomness comes from the request's seed and turn only,
 * so it is stateless, thread-safe and replays exactly.
 */
final class TwentyQuestionsRandomAgent implements Agent {
  private final List<Item> pool;

  TwentyQuestionsRandomAgent(TwentyQuestionsConfig config) {
    this.pool = config.pool();
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    String text = random.nextInt(4) == 0
        ? "Is it the " + pool.get(random.nextInt(pool.size())).name() + "?"
        : Question.all().get(random.nextInt(Question.all().size())).text();
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }
}
