package dev.ludus.environments.dialogue.support;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Says a random supportive, unhelpful or empty thing: uniformly one of the oracle's lines for any need, a
 * dismissive or blaming line, small talk, or nothing. Its randomness comes from the request's seed and turn only,
 * so it is stateless, thread-safe and replays exactly.
 */
final class SupportRandomAgent implements Agent {
  static final List<String> LINES;

  static {
    List<String> all = new ArrayList<>();
    SupportOracle.LINES.values().forEach(all::addAll);
    all.addAll(List.of("Calm down, it's not a big deal.", "Well, what did you expect?", "Look on the bright side.",
        "Nice weather today.", "Okay.", "I see.", ""));
    LINES = List.copyOf(all);
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    return CompletableFuture.completedFuture(
        AgentResponse.reply(Message.assistant(LINES.get(random.nextInt(LINES.size())))));
  }
}
