package dev.ludus.environments.dialogue.intent;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.simulators.intent.IntentSpec;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Acts at random within the grammar: one time in eight a final specification of random values, otherwise a random
 * yes/no, choice or open question about a random attribute. Its randomness comes from the request's seed and turn
 * only, so it is stateless, thread-safe and replays exactly.
 */
final class IntentDiscoveryRandomAgent implements Agent {
  private final IntentSpec spec;

  IntentDiscoveryRandomAgent(IntentDiscoveryConfig config) {
    this.spec = config.specification();
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    IntentSpec.Attribute a = spec.attributes().get(r.nextInt(spec.size()));
    List<String> v = a.values();
    String text = switch (r.nextInt(8)) {
      case 0 -> "<intent>" + spec.attributes().stream()
          .map(x -> x.name() + "=" + x.values().get(r.nextInt(x.values().size()))).collect(Collectors.joining("; "))
          + "</intent>";
      case 1, 2, 3 -> "Is the " + a.name() + " " + v.get(r.nextInt(v.size())) + "?";
      case 4, 5 -> {
        int i = r.nextInt(v.size());
        int j = (i + 1 + r.nextInt(v.size() - 1)) % v.size();
        yield "Is the " + a.name() + " " + v.get(i) + " or " + v.get(j) + "?";
      }
      default -> "What is the " + a.name() + "?";
    };
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }
}
