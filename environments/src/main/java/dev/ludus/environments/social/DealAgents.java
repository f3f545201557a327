package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Seeds;
import dev.ludus.environments.social.DealText.Reading;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scripted agents of {@code deal-or-no-deal}. Each is stateless and thread-safe: it reads the items, its own
 * values and the offers on the table from its seat's conversation ({@link DealText#read}), like a player would;
 * only the oracle, which is privileged, takes its values from the seat's private view of the task instead.
 *
 * <ul>
 *   <li>{@code greedy}: asks for every item it values, accepts (writes {@code <selection>}) only an offer worth at
 *       least 8 to it, and after three messages ends the talk anyway;
 *   <li>{@code fair}: asks for the cheapest share worth at least 5 to it, accepts any offer worth at least 5, and
 *       once the talk is over takes what the last offer gives it, whatever it is worth (no deal scores 0);
 *   <li>{@code stubborn}: makes one demand, the cheapest share worth at least 7 to it, and repeats it word for word;
 *       ends the talk only to accept an offer worth at least 7 (never after a few messages, as the others do), and
 *       once the talk is over takes that offer or else its demand;
 *   <li>the oracle: {@code fair}, reading its values from the private view;
 *   <li>random: talks, proposes a random share or ends the talk at random, and chooses a random share.
 * </ul>
 * Once the talk is over a bot chooses what the last offer on the table gives it (greedy: only if it is worth 8 to it),
 * else its own ask; so two fair players always agree.
 */
final class DealAgents {
  private DealAgents() {}

  private static final List<String> CHATTER = List.of("What do you want?", "I need those.", "No way.",
      "Let us make a deal.", "That is not fair.", "deal?");

  /**
   * A bot: accepts an offer worth at least {@code accept}; asks for {@code ask} of its own values.
   *
   * @param greedy asks for everything it values and holds out at the choice
   * @param stubborn ends the talk only to accept and holds out at the choice
   */
  private record Strategy(int accept, boolean greedy, boolean stubborn) {
    Split ask(Reading r) {
      if (greedy) {
        return new Split(r.values().book() > 0 ? r.counts().book() : 0, r.values().hat() > 0 ? r.counts().hat() : 0,
            r.values().ball() > 0 ? r.counts().ball() : 0);
      }
      Split best = null;
      for (int b = 0; b <= r.counts().book(); b++) {
        for (int h = 0; h <= r.counts().hat(); h++) {
          for (int l = 0; l <= r.counts().ball(); l++) {
            Split s = new Split(b, h, l);
            int v = s.valueAt(r.values());
            if (v >= accept && (best == null || v < best.valueAt(r.values())
                || v == best.valueAt(r.values()) && s.total() < best.total())) {
              best = s;
            }
          }
        }
      }
      return best;
    }

    String act(Reading r) {
      Optional<Split> onTable = r.offer().map(o -> o.forMe(r.counts()));
      boolean good = onTable.isPresent() && onTable.get().valueAt(r.values()) >= accept;
      if (r.choosing()) {
        // no deal scores 0, so fair takes whatever the offer on the table gives it; greedy holds out
        Split take = onTable.isPresent() && (good || !greedy && !stubborn) ? onTable.get() : ask(r);
        return "<choose>" + take.counts() + "</choose>";
      }
      boolean theirs = r.offer().isPresent() && !r.offer().get().mine();
      if (theirs && good || r.talked() >= 3 && !stubborn) {
        return DealText.SELECTION;
      }
      return "<propose>" + ask(r).counts() + "</propose>";
    }
  }

  static Agent greedy() {
    Strategy s = new Strategy(8, true, false);
    return request -> answer(request, s::act);
  }

  static Agent stubborn() {
    Strategy s = new Strategy(7, false, true);
    return request -> answer(request, s::act);
  }

  static Agent fair() {
    Strategy s = new Strategy(5, false, false);
    return request -> answer(request, s::act);
  }

  /** {@code fair}, with its values from the seat's private view of the task (it is privileged). */
  static PrivilegedAgent oracle() {
    Strategy s = new Strategy(5, false, false);
    return request -> {
      String values = request.task().fields().get("values");
      if (values == null) {
        return failure("the oracle needs its seat's private view of the task (field 'values'); it got "
            + request.task().fields().keySet());
      }
      Optional<Split> own = Split.parse(values);
      return answer(request, r -> s.act(new Reading(r.counts(), own.orElse(r.values()), r.choosing(), r.offer(),
          r.talked())));
    };
  }

  static Agent random() {
    return request -> answer(request, r -> {
      SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
      Split any = new Split(random.nextInt(r.counts().book() + 1), random.nextInt(r.counts().hat() + 1),
          random.nextInt(r.counts().ball() + 1));
      if (r.choosing()) {
        return "<choose>" + any.counts() + "</choose>";
      }
      return switch (random.nextInt(4)) {
        case 0 -> DealText.SELECTION;
        case 1 -> CHATTER.get(random.nextInt(CHATTER.size()));
        default -> "<propose>" + any.counts() + "</propose>";
      };
    });
  }

  private interface Play {
    String act(Reading reading);
  }

  private static CompletionStage<AgentResponse> answer(AgentRequest request, Play play) {
    Optional<Reading> reading = DealText.read(request.conversation());
    if (reading.isEmpty()) {
      return failure("this is not a deal-or-no-deal conversation: no 'Items: ... Your values: ...' opening");
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(play.act(reading.get()))));
  }

  private static CompletionStage<AgentResponse> failure(String reason) {
    return CompletableFuture.completedFuture(AgentResponse.failure(reason));
  }
}
