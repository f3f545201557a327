package dev.ludus.simulators.intent;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.intent.IntentGrammar.Either;
import dev.ludus.simulators.intent.IntentGrammar.Final;
import dev.ludus.simulators.intent.IntentGrammar.Is;
import dev.ludus.simulators.intent.IntentGrammar.Unclear;
import dev.ludus.simulators.intent.IntentGrammar.Utterance;
import dev.ludus.simulators.intent.IntentGrammar.Which;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The rule-based intent user. At start it draws, from the task seed only, its intent (one value per attribute), its
 * expertise and (a novice) the attributes it does not know; then it answers from them. Not thread-safe: one instance
 * per episode. Its stages are already complete.
 */
final class IntentUser implements UserSimulator {
  private final IntentUserConfig config;
  private final IntentSpec spec;
  private List<String> intent;
  private boolean[] unsure;
  private boolean novice;
  private IntentBelief belief;
  private boolean ended;

  IntentUser(IntentUserConfig config) {
    this.config = config;
    this.spec = config.specification();
  }

  /** Everything is drawn from {@code task.seed()}; {@code seed} is not used. */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    IntentDraw d = IntentDraw.draw(config, spec, task);
    intent = d.intent();
    novice = d.novice();
    unsure = new boolean[spec.size()];
    for (int i = 0; i < spec.size(); i++) {
      unsure[i] = d.unsure().get(i);
    }
    belief = IntentBelief.initial(spec);
    ended = false;
    return CompletableFuture.completedFuture(new UserTurn(
        Message.user(IntentDraw.opening(spec)), state().build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (belief == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (ended) {
      return CompletableFuture.failedFuture(new IllegalStateException("the conversation is over"));
    }
    Utterance u = IntentGrammar.parse(spec, agentMessage.content());
    String reply;
    boolean notSure = false;
    String invalid = null;
    Double score = null;
    if (u instanceof Final f) {
      int knowable = 0;
      int right = 0;
      for (int i = 0; i < spec.size(); i++) {
        if (!unsure[i]) {
          knowable++;
          right += intent.get(i).equals(f.values().get(i)) ? 1 : 0;
        }
      }
      score = knowable == 0 ? 1.0 : (double) right / knowable;
      ended = true;
      reply = IntentDraw.verdict(right, knowable);
    } else if (u instanceof Unclear un) {
      invalid = un.reason();
      reply = IntentReplies.notUnderstood(invalid);
    } else {
      int a = u instanceof Is is ? is.attribute() : u instanceof Which w ? w.attribute() : ((Either) u).attribute();
      String name = spec.attributes().get(a).name();
      String truth = intent.get(a);
      if (unsure[a]) {
        notSure = true;
        belief = belief.notSure(a);
        reply = IntentReplies.notSure(name);
      } else if (u instanceof Is is) {
        boolean yes = is.value().equals(truth);
        belief = yes ? belief.is(a, truth) : belief.isNot(a, List.of(is.value()));
        reply = yes ? IntentReplies.yes(name, truth) : IntentReplies.no(name, is.value());
      } else if (u instanceof Either e && !truth.equals(e.first()) && !truth.equals(e.second())) {
        belief = belief.isNot(a, List.of(e.first(), e.second()));
        reply = IntentReplies.neither(name, e.first(), e.second());
      } else {
        belief = belief.is(a, truth);
        reply = IntentReplies.is(name, truth);
      }
    }
    Signals.Builder s = state().put(IntentSignals.NOT_SURE, notSure);
    if (invalid != null) {
      s.put(StandardSignals.INVALID_ACTION, invalid);
    }
    if (score != null) {
      s.put(IntentSignals.SCORE, score);
    }
    return CompletableFuture.completedFuture(new UserTurn(Message.user(reply), s.build(), ended));
  }

  private Signals.Builder state() {
    List<String> unsureOf = new ArrayList<>();
    for (int i = 0; i < spec.size(); i++) {
      if (unsure[i]) {
        unsureOf.add(spec.attributes().get(i).name());
      }
    }
    String hidden = java.util.stream.IntStream.range(0, spec.size())
        .mapToObj(i -> spec.attributes().get(i).name() + "=" + intent.get(i)).collect(Collectors.joining("; "));
    return Signals.builder()
        .put(StandardSignals.CANDIDATE_COUNT, belief.count())
        .put(StandardSignals.CANDIDATE_ENTROPY, belief.entropyBits())
        .put(IntentSignals.ATTRIBUTES_KNOWN, belief.known())
        .put(IntentSignals.INTENT, hidden)
        .put(IntentSignals.UNSURE_OF, unsureOf.isEmpty() ? "" : "unsure of " + String.join(", ", unsureOf))
        .put(IntentSignals.EXPERTISE, novice ? "novice" : "expert");
  }
}
