package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.environments.dialogue.UserDialogueEnvironment;
import dev.ludus.simulators.persuasion.PersuasionRules;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * PersuasionForGood around a simulated persuadee: reset gives the persuader's brief and the persuadee's opening;
 * each step hands the agent's message to the persuadee and returns its reply; the last step pays the donation.
 * Composes the user's stages and never blocks. Not thread-safe: one episode at a time. Closing it closes the user.
 */
final class PersuasionEnvironment extends UserDialogueEnvironment {
  static final String SYSTEM_PROMPT = """
      You are the persuader in PersuasionForGood. The user is taking part in a task for which they are paid $2. \
      Persuade them to donate part or all of that payment to the charity Save the Children, which helps children in \
      need around the world. Use persuasion strategies: logical appeal, emotional appeal, credibility appeal (facts \
      about the organisation), personal stories, foot-in-the-door, self-modeling (say you give too), donation \
      information (how the donation works), and questions about the user, the charity and donating. Do not repeat \
      yourself, do not contradict what you said before, do not pressure the user. When they seem willing, ask how \
      much they would donate (e.g. "Would you donate $1?"); a promise ends the conversation. You have %d turns; \
      after the last one the user decides alone. Your reward is the donation, from $0 to $2.""";

  /** A donation of at least this many dollars (half the payment) counts as success. */
  static final double SUCCESS_AT = 1.0;

  private final PersuasionConfig config;
  private double intent;

  /** @param user the simulated persuadee, owned: closed with the environment */
  PersuasionEnvironment(PersuasionConfig config, UserSimulator user) {
    super(user, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(PersuasionConfig config) {
    return String.format(Locale.ROOT, SYSTEM_PROMPT, config.maxTurns());
  }

  @Override
  protected void opened(UserTurn opening) {
    intent = opening.signals().get(PersuasionSignals.DONATION_INTENT).orElse(0.0);
  }

  @Override
  protected StepResult result(UserTurn said) {
    Signals in = said.signals();
    intent = in.get(PersuasionSignals.DONATION_INTENT).orElse(intent);
    boolean terminated = said.ended();
    boolean truncated = !terminated && atTurnLimit(config.maxTurns());
    Signals.Builder out = Signals.builder().putAll(in);
    List<Message> observation = new ArrayList<>();
    observation.add(said.reply());
    double reward = 0;
    if (terminated || truncated) {
      conversation().end();
      double donation = terminated ? in.get(PersuasionSignals.DONATION).orElse(0.0) : intent;
      donation = Math.max(0, Math.min(PersuasionRules.MAX_DONATION, donation));
      out.put(PersuasionSignals.DONATION, donation);
      out.put(StandardSignals.SUCCESS, donation >= SUCCESS_AT);
      reward = donation / PersuasionRules.MAX_DONATION;
      if (truncated) {
        observation.add(Message.user(String.format(Locale.ROOT,
            "That was your last turn. After the conversation the user donated $%.2f.", donation)));
      }
    }
    return new StepResult(observation, reward, terminated, truncated, out.build());
  }
}
