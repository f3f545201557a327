package dev.ludus.simulators.support;

import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-based emotional-support user: reads each message ({@link SupportClassifier}), updates its emotion by
 * {@link SupportRules} and answers from {@link SupportReplies}. Not thread-safe: one instance per episode. Its
 * stages are already complete.
 */
final class EmotionalSupportUser implements UserSimulator {
  private final EmotionalSupportUserConfig config;
  private final List<SupportProfile> table;
  private final SupportRules rules;
  private SupportState state;
  private SplittableRandom random;
  private boolean ended;

  EmotionalSupportUser(EmotionalSupportUserConfig config) {
    this.config = config;
    this.table = config.table();
    this.rules = config.rules();
  }

  /**
   * Chooses the profile: the one the task's {@code profile} field names, else one drawn from the task seed. The
   * paraphrases the user picks come from {@code seed}.
   */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    String wanted = task.fields().get("profile");
    SupportProfile profile;
    if (wanted != null) {
      profile = table.stream().filter(p -> p.id().equals(wanted)).findFirst().orElse(null);
      if (profile == null) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("task " + task.id() + ": profile '"
            + wanted + "' is not in the table; allowed: "
            + String.join(", ", table.stream().map(SupportProfile::id).toList())));
      }
    } else {
      profile = table.get(new SplittableRandom(task.seed()).nextInt(table.size()));
    }
    state = SupportState.start(profile, config.startEmotion());
    random = new SplittableRandom(Seeds.mix(seed, 0x50990e7L));
    ended = false;
    String opening = SupportReplies.opening(profile, random);
    return CompletableFuture.completedFuture(new UserTurn(Message.user(opening), hidden().build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (state == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (ended) {
      return CompletableFuture.failedFuture(new IllegalStateException("the user already said goodbye"));
    }
    String text = agentMessage.content();
    SupportClassifier.Reading reading = SupportClassifier.read(text);
    if (!reading.readable()) {
      state = state.after(text, state.emotion());
      Signals s = hidden().put(StandardSignals.INVALID_ACTION, reading.unreadable().get())
          .put(SupportSignals.MOVES, List.of()).build();
      return CompletableFuture.completedFuture(new UserTurn(Message.user(SupportReplies.unreadable()), s, false));
    }
    Fit fit = rules.fit(state.profile(), reading, state.repeats(text));
    state = state.after(text, rules.next(state.emotion(), fit));
    Band band = state.band();
    ended = band.saysGoodbye();
    String reply = SupportReplies.reply(state.profile(), fit, reading.moves(), band, random);
    Signals s = hidden().put(SupportSignals.FIT, fit.wireName())
        .put(SupportSignals.MOVES, reading.moves().stream().sorted().map(Move::wireName).toList()).build();
    return CompletableFuture.completedFuture(new UserTurn(Message.user(reply), s, ended));
  }

  private Signals.Builder hidden() {
    SupportProfile p = state.profile();
    return Signals.builder()
        .put(StandardSignals.EMOTION, state.emotion())
        .put(SupportSignals.BAND, state.band().name())
        .put(SupportSignals.NEED, p.need().wireName())
        .put(SupportSignals.THEME, p.scene().hiddenTheme())
        .put(SupportSignals.TABOOS, p.taboos().stream().map(Move::wireName).toList())
        .put(SupportSignals.PROFILE, p.id());
  }
}
