package dev.ludus.environments.dialogue.intent;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.intent.IntentBelief;
import dev.ludus.simulators.intent.IntentReplies;
import dev.ludus.simulators.intent.IntentSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Asks the most informative question, then answers. It rebuilds the {@link IntentBelief} from the user's replies in
 * the conversation; while some attribute the user has not said it is unsure of has values left, it asks "What is the
 * <attribute>?" of the one with the most entropy left (an open question removes all of it, the most any question
 * can; the first in specification order on ties); then, or on its last turn, it gives the final specification with
 * each attribute's remaining value (the first one left where the user was not sure). Stateless and thread-safe.
 */
final class IntentDiscoveryOracle implements Agent {
  private final IntentSpec spec;
  private final int maxTurns;

  IntentDiscoveryOracle(IntentDiscoveryConfig config) {
    this.spec = config.specification();
    this.maxTurns = config.maxTurns();
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    IntentBelief b = IntentBelief.initial(spec);
    int asked = 0;
    for (Message m : request.conversation()) {
      if (m.role() == Role.USER) {
        b = IntentReplies.apply(b, m.content());
      } else if (m.role() == Role.ASSISTANT) {
        asked++;
      }
    }
    int best = -1;
    double bestH = 0;
    for (int i = 0; i < spec.size(); i++) {
      double h = b.entropyBits(i);
      if (!b.unsure().get(i) && h > bestH + 1e-12) {
        best = i;
        bestH = h;
      }
    }
    String text = best >= 0 && asked < maxTurns - 1
        ? "What is the " + spec.attributes().get(best).name() + "?"
        : finalSpecification(b);
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }

  static String finalSpecification(IntentBelief b) {
    List<IntentSpec.Attribute> attrs = b.spec().attributes();
    return "<intent>" + IntStream.range(0, attrs.size())
        .mapToObj(i -> attrs.get(i).name() + "=" + (b.remaining().get(i).isEmpty()
            ? attrs.get(i).values().get(0) : b.remaining().get(i).get(0)))
        .collect(Collectors.joining("; ")) + "</intent>";
  }
}
