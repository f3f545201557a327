package dev.ludus.environments.dialogue.tutoring;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.environments.dialogue.UserDialogueEnvironment;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import dev.ludus.simulators.tutoring.TutoringSignals;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A tutoring conversation around a simulated student: reset gives the system prompt and the student's problem; each
 * step hands the teacher's message to the student; at the turn limit the environment ends the conversation for the
 * teacher (so the student still makes its attempts). Never blocks. Not thread-safe. Closing it closes the student.
 */
final class TutoringEnvironment extends UserDialogueEnvironment {
  private final TutoringConfig config;

  /** @param student the simulated student, owned: closed with the environment */
  TutoringEnvironment(TutoringConfig config, UserSimulator student) {
    super(student, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(TutoringConfig config) {
    return "You are a patient maths teacher. A student will bring you a problem. Help them learn to solve it"
        + " themselves: give hints about the method and ask them to try the next step, but never give away the"
        + " answer or work out the steps for them before they have tried. You have at most " + config.maxTurns()
        + " messages. When you think they can do it alone, write " + TeacherClassifier.END + "; they will then"
        + " solve it on their own, and you are judged by how often they get it right.";
  }

  @Override
  public CompletionStage<StepResult> step(Message action) {
    return conversation().respond(action).thenCompose(said -> {
      if (said.ended() || !atTurnLimit(config.maxTurns())) {
        return CompletableFuture.completedFuture(result(said, null));
      }
      return conversation().respondForAgent(Message.assistant(TeacherClassifier.END))
          .thenApply(last -> result(said, last));
    });
  }

  @Override
  protected StepResult result(UserTurn said) {
    return result(said, null);
  }

  /** @param closing the student's answer to the end the environment wrote at the turn limit, or null */
  private StepResult result(UserTurn said, UserTurn closing) {
    UserTurn fin = closing == null ? said : closing;
    boolean terminated = closing == null && said.ended();
    boolean truncated = closing != null;
    Signals.Builder out = Signals.builder().putAll(said.signals());
    List<Message> observation = closing == null ? List.of(said.reply()) : List.of(said.reply(), closing.reply());
    double reward = 0;
    if (terminated || truncated) {
      conversation().end();
      Signals in = fin.signals();
      out.putAll(in);
      boolean leak = in.get(TutoringSignals.LEAK).orElse(false);
      int solved = in.get(TutoringSignals.ATTEMPTS_SOLVED).orElseThrow(() -> new IllegalStateException(
          "the simulated student ended without publishing 'attempts-solved'"));
      int attempts = in.get(TutoringSignals.ATTEMPTS).orElseThrow(() -> new IllegalStateException(
          "the simulated student ended without publishing 'attempts'"));
      double share = attempts == 0 ? 0 : (double) solved / attempts;
      reward = leak ? -config.leakPenalty() : share;
      out.put(StandardSignals.SUCCESS, !leak && share >= 0.5);
    }
    return new StepResult(observation, reward, terminated, truncated, out.build());
  }
}
