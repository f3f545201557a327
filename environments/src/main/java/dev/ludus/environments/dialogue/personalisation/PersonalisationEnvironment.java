package dev.ludus.environments.dialogue.personalisation;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.environments.dialogue.UserDialogueEnvironment;
import dev.ludus.simulators.profile.PersonalisationSignals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * RLPA's personalisation dialogue around a simulated user: reset gives the format and the user's opening; each step
 * hands the agent's message to the user and pays profile F1 plus the response check. Never blocks. Not thread-safe:
 * one episode at a time. Closing it closes the user.
 */
final class PersonalisationEnvironment extends UserDialogueEnvironment {
  static final String SYSTEM_PROMPT = """
      You are chatting with someone who just added you as a friend. Get to know them: ask about one topic at a time \
      (for example %s). They tell you little at a time and only about what you ask; do not flatter them and do not \
      repeat yourself. Every message must be exactly:
      <profile>
      (everything you have learned about them, one fact a line)
      </profile>

      <response>
      (what you say to them)
      </response>
      Each turn pays the F1 of your profile against their true profile, plus 1 if your response is on topic, not \
      repetitive and not flattering; a message in another form pays 0. You have %d turns.""";

  private final PersonalisationConfig config;

  /** @param user the simulated user, owned: closed with the environment */
  PersonalisationEnvironment(PersonalisationConfig config, UserSimulator user) {
    super(user, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(PersonalisationConfig config) {
    return String.format(Locale.ROOT, SYSTEM_PROMPT, String.join(", ", config.table().topics().keySet()),
        config.maxTurns());
  }

  @Override
  protected StepResult result(UserTurn said) {
    Signals in = said.signals();
    boolean wellFormed = !in.has(StandardSignals.INVALID_ACTION);
    double f1 = in.get(PersonalisationSignals.PROFILE_F1).orElse(0.0);
    boolean ok = in.get(PersonalisationSignals.RESPONSE_OK).orElse(false);
    double reward = wellFormed ? f1 + (ok ? 1.0 : 0.0) : 0.0;
    boolean terminated = said.ended() || f1 >= 1.0 - 1e-9;
    boolean truncated = !terminated && atTurnLimit(config.maxTurns());
    Signals.Builder out = Signals.builder().putAll(in);
    List<Message> observation = new ArrayList<>();
    observation.add(said.reply());
    if (terminated || truncated) {
      conversation().end();
      out.put(StandardSignals.SUCCESS, f1 >= config.successF1() - 1e-9);
      if (truncated) {
        observation.add(Message.user(String.format(Locale.ROOT,
            "That was your last turn. Your last profile scored F1 %.2f.", f1)));
      }
    }
    return new StepResult(observation, reward, terminated, truncated, out.build());
  }
}
