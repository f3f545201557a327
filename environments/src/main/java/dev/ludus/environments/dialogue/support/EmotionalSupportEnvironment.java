package dev.ludus.environments.dialogue.support;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.environments.dialogue.UserDialogueEnvironment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An emotional-support conversation around a simulated user: reset gives the system prompt and the user's opening;
 * each step hands the agent's message to the user and returns its reply. Composes the user's stages and never
 * blocks. Not thread-safe: one episode at a time. Closing it closes the user.
 */
final class EmotionalSupportEnvironment extends UserDialogueEnvironment {
  private final EmotionalSupportConfig config;

  /** @param user the simulated user, owned: closed with the environment */
  EmotionalSupportEnvironment(EmotionalSupportConfig config, UserSimulator user) {
    super(user, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(EmotionalSupportConfig config) {
    return "Someone will tell you about something that is weighing on them. Support them as a good friend would:"
        + " find out what they hope to get from talking to you, and give them that. Write one message per turn,"
        + " in English. The conversation lasts at most " + config.maxTurns() + " turns; it ends early when they"
        + " feel much better, or when they give up on you.";
  }

  @Override
  protected StepResult result(UserTurn said) {
    Signals in = said.signals();
    double emotion = in.get(StandardSignals.EMOTION).orElseThrow(() -> new IllegalStateException(
        "the simulated user did not publish the 'emotion' signal, which emotional-support needs"));
    boolean terminated = said.ended() || emotion <= 0;
    boolean truncated = !terminated && atTurnLimit(config.maxTurns());
    boolean done = terminated || truncated;
    Signals.Builder out = Signals.builder().putAll(in);
    double reward = 0;
    if (done) {
      conversation().end();
      reward = Math.max(emotion / 100, 0);
      out.put(StandardSignals.SUCCESS, emotion >= 100);
    }
    return new StepResult(List.of(said.reply()), reward, terminated, truncated, out.build());
  }
}
