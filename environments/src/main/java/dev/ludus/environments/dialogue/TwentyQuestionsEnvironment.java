package dev.ludus.environments.dialogue;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.QuestionGrammar;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import dev.ludus.simulators.questions.TwentyQuestionsSignals.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Twenty questions around a simulated user: reset gives the system prompt and the user's opening; each step
 * hands the agent's message to the user and returns its reply. Composes the user's stages and never
 * blocks. Not thread-safe: one episode at a time. Closing it closes the user.
 */
final class TwentyQuestionsEnvironment extends UserDialogueEnvironment {
  private final TwentyQuestionsConfig config;

  /** @param user the simulated user, owned: closed with the environment */
  TwentyQuestionsEnvironment(TwentyQuestionsConfig config, UserSimulator user) {
    super(user, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(TwentyQuestionsConfig config) {
    List<Item> pool = config.pool();
    String kinds = pool.stream().map(it -> it.category().word()).distinct().collect(Collectors.joining(", "));
    return "We are playing twenty questions. The user is thinking of one thing, of one of these kinds: " + kinds
        + " (" + pool.size() + " possible things in all). Find out what it is by asking yes/no questions, one"
        + " per turn, then name it. You have " + config.maxTurns() + " turns; every question and every guess"
        + " uses one" + (config.wrongGuessEndsEpisode() ? ", and a wrong guess ends the game" : "")
        + ". You win only by naming it.\n\n" + QuestionGrammar.help();
  }

  @Override
  protected StepResult result(UserTurn said) {
    Signals in = said.signals();
    Optional<Reply> reply = in.get(TwentyQuestionsSignals.REPLY).map(Reply::fromWire);
    boolean success = reply.orElse(null) == Reply.RIGHT_GUESS;
    boolean terminated = said.ended() || success
        || reply.orElse(null) == Reply.WRONG_GUESS && config.wrongGuessEndsEpisode();
    boolean truncated = !terminated && atTurnLimit(config.maxTurns());
    boolean done = terminated || truncated;
    Signals.Builder out = Signals.builder().putAll(in);
    if (reply.orElse(null) == Reply.NOT_UNDERSTOOD && !in.has(StandardSignals.INVALID_ACTION)) {
      out.put(StandardSignals.INVALID_ACTION, "the user did not understand the message");
    }
    List<Message> observation = new ArrayList<>();
    observation.add(said.reply());
    if (done) {
      conversation().end();
      out.put(StandardSignals.SUCCESS, success);
      if (!success) {
        String target = in.get(TwentyQuestionsSignals.TARGET).orElse("something else");
        observation.add(Message.user((truncated ? "That was your last turn." : "The game is over.")
            + " I was thinking of the " + target + "."));
      }
    }
    return new StepResult(observation, success ? 1.0 : 0.0, terminated, truncated, out.build());
  }
}
