package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.simulators.persuasion.Act;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Says one or two random sentences of {@link PersuasionPhrases} (strategy sentences, off-topic filler) and one time in
 * five a donation request. Its randomness comes from the request's seed and turn only: stateless, thread-safe,
 * replays exactly.
 */
final class PersuasionRandomAgent implements Agent {
  private static final List<String> POOL;

  static {
    List<String> all = new ArrayList<>();
    for (Act a : Act.values()) {
      all.addAll(PersuasionPhrases.BY_STRATEGY.getOrDefault(a, List.of()));
    }
    all.addAll(PersuasionPhrases.FILLER);
    POOL = List.copyOf(all);
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    String text;
    if (random.nextInt(5) == 0) {
      text = PersuasionPhrases.ASKS.get(random.nextInt(PersuasionPhrases.ASKS.size()));
    } else {
      text = POOL.get(random.nextInt(POOL.size()));
      if (random.nextBoolean()) {
        text = text + " " + POOL.get(random.nextInt(POOL.size()));
      }
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }
}
