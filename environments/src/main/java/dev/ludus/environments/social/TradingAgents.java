package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Seeds;
import dev.ludus.environments.social.TradingText.Reading;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The scripted agents of {@code trading}. Each is stateless and thread-safe and reads its inventory, values and the
 * offer made to it from its own seat's conversation ({@link TradingText#readConversation}); the oracle, which is
 * privileged, takes its values from the seat's private view.
 *
 * <ul>
 *   <li>{@code shrewd} (and the oracle): accepts an offer that raises its inventory's value by more than it raises
 *       the partner's, estimated at the base values (the partner's own are private); otherwise makes the offer of at
 *       most 4 of one resource for at most 4 of another that gains it most while the partner gains too at the base
 *       values;
 *   <li>{@code generous}: accepts every offer it can fill, and never makes one;
 *   <li>{@code stubborn}: denies every offer and never makes one;
 *   <li>random: talks, accepts, denies, or offers 1 to 3 of a resource for 1 to 3 of another, at random.
 * </ul>
 */
final class TradingAgents {
  private TradingAgents() {}

  private static final List<String> CHATTER = List.of("What do you need?", "I have plenty of wheat.",
      "Let us trade.", "Not interested.", "Maybe later.");

  static String shrewd(Reading r) {
    Goods base = Goods.of(Goods.BASE_VALUES);
    if (r.pending().isPresent()) {
      Goods receive = r.pending().get()[0];
      Goods pay = r.pending().get()[1];
      int mine = receive.valueAt(r.values()) - pay.valueAt(r.values());
      int theirs = pay.valueAt(base) - receive.valueAt(base);
      if (r.inventory().covers(pay) && mine > 0 && mine > theirs) {
        return "That works for me. [Accept]";
      }
    }
    String best = null;
    int bestGain = 0;
    int n = Goods.NAMES.size();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int a = 1; a <= 4 && i != j && a <= r.inventory().get(i); a++) {
          for (int b = 1; b <= 4; b++) {
            int mine = b * r.values().get(j) - a * r.values().get(i);
            int theirs = a * base.get(i) - b * base.get(j);
            if (theirs >= 0 && mine > bestGain) {
              bestGain = mine;
              best = "[Offer: " + a + " " + Goods.NAMES.get(i) + " -> " + b + " " + Goods.NAMES.get(j) + "]";
            }
          }
        }
      }
    }
    String answer = r.pending().isPresent() ? "No, thanks. [Deny] " : "";
    return best == null ? answer + "I am happy with what I have." : answer + "How about this? " + best;
  }

  static Agent shrewdBot() {
    return request -> answer(request, TradingAgents::shrewd);
  }

  /** {@code shrewd}, with its values from the seat's private view of the task (it is privileged). */
  static PrivilegedAgent oracle() {
    return request -> {
      String values = request.task().fields().get("values");
      if (values == null) {
        return failure("the oracle needs its seat's private view of the task (field 'values'); it got "
            + request.task().fields().keySet());
      }
      Goods own = TradingText.parseValues(values);
      return answer(request, r -> shrewd(new Reading(r.inventory(), own, r.pending(), r.turn())));
    };
  }

  static Agent generous() {
    return request -> answer(request, r -> r.pending().isPresent() && r.inventory().covers(r.pending().get()[1])
        ? "Gladly. [Accept]" : "I have nothing to offer, but I am open to your offers.");
  }

  static Agent stubborn() {
    return request -> answer(request, r -> r.pending().isPresent() ? "No. [Deny]" : "I am keeping what I have.");
  }

  static Agent random() {
    return request -> answer(request, r -> {
      SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
      return switch (random.nextInt(5)) {
        case 0 -> CHATTER.get(random.nextInt(CHATTER.size()));
        case 1 -> "[Accept]";
        case 2 -> "[Deny]";
        default -> {
          int i = random.nextInt(Goods.NAMES.size());
          int j = (i + 1 + random.nextInt(Goods.NAMES.size() - 1)) % Goods.NAMES.size();
          yield "[Offer: " + (1 + random.nextInt(3)) + " " + Goods.NAMES.get(i) + " -> " + (1 + random.nextInt(3))
              + " " + Goods.NAMES.get(j) + "]";
        }
      };
    });
  }

  private static CompletionStage<AgentResponse> answer(AgentRequest request, Function<Reading, String> play) {
    Optional<Reading> reading = TradingText.readConversation(request.conversation());
    if (reading.isEmpty()) {
      return failure("this is not a trading conversation: no 'Your inventory: ... Your values per unit: ...' opening");
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(play.apply(reading.get()))));
  }

  private static CompletionStage<AgentResponse> failure(String reason) {
    return CompletableFuture.completedFuture(AgentResponse.failure(reason));
  }
}
