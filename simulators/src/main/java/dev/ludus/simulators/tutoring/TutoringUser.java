package dev.ludus.simulators.tutoring;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rule-based student: reads each teacher message ({@link TeacherClassifier}), runs the leak check, learns from
 * hints and tries steps by {@link TutoringRules}, answers from {@link TutoringReplies}, and on
 * {@code <end_of_conversation>} makes its final attempts. Not thread-safe: one instance per episode. Its stages are
 * already complete.
 */
final class TutoringUser implements UserSimulator {
  private final TutoringUserConfig config;
  private final Map<String, Skill> skills;
  private final List<Problem> problems;
  private final TutoringRules rules;
  private StudentState state;
  private SplittableRandom noise;
  private boolean ended;

  TutoringUser(TutoringUserConfig config) {
    this.config = config;
    this.skills = TutoringTables.skills(config.skills());
    this.problems = config.problems().isEmpty() ? null : TutoringTables.problems(config.problems(), skills);
    this.rules = config.rules();
  }

  /**
   * Draws the problem and the student from the task seed (a problem file's problem by the task's {@code problem}
   * field, when given); the noise of the final attempts comes from {@code seed}.
   */
  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    try {
      state = StudentDraw.draw(config, skills, problems, task);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    noise = StudentDraw.noise(seed);
    ended = false;
    return CompletableFuture.completedFuture(
        new UserTurn(Message.user(TutoringReplies.opening(state.problem())), hidden().build(), false));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message teacherMessage) {
    if (state == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("respond before start"));
    }
    if (ended) {
      return CompletableFuture.failedFuture(new IllegalStateException("the conversation has ended"));
    }
    String text = teacherMessage.content();
    TeacherClassifier.Reading reading = TeacherClassifier.read(text, skills);
    if (reading.unreadable().isPresent()) {
      Signals s = hidden().put(StandardSignals.INVALID_ACTION, reading.unreadable().get())
          .put(TutoringSignals.HINTED, List.of()).build();
      return CompletableFuture.completedFuture(new UserTurn(Message.user(TutoringReplies.unreadable()), s, false));
    }
    state = rules.leakCheck(state, text);
    List<String> said = new ArrayList<>();
    for (String id : reading.hinted()) {
      Map.Entry<TutoringRules.HintOutcome, StudentState> h = rules.hint(state, skills.get(id), text);
      state = h.getValue();
      if (h.getKey() != TutoringRules.HintOutcome.NOT_NEEDED || reading.hinted().size() == 1) {
        said.add(TutoringReplies.hint(h.getKey(), skills.get(id)));
      }
    }
    Signals.Builder signals = Signals.builder();
    if (reading.ends()) {
      ended = true;
      int solved = rules.solved(state, noise);
      said.add(TutoringReplies.goodbye(solved, config.attempts()));
      signals.put(TutoringSignals.ATTEMPTS_SOLVED, solved).put(TutoringSignals.ATTEMPTS, config.attempts());
    } else if (reading.invites()) {
      Map.Entry<TutoringRules.Attempt, StudentState> a = rules.invite(state);
      state = a.getValue();
      Problem p = state.problem();
      Skill skill = a.getKey().step() < p.steps().size() ? skills.get(p.steps().get(a.getKey().step()).skill()) : null;
      said.add(TutoringReplies.attempt(a.getKey(), p, skill));
    }
    if (said.isEmpty()) {
      said.add(TutoringReplies.neutral());
    }
    Signals s = signals.putAll(hidden().put(TutoringSignals.HINTED, reading.hinted()).build()).build();
    return CompletableFuture.completedFuture(new UserTurn(Message.user(String.join(" ", said)), s, ended));
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(TutoringSignals.PROBLEM, state.problem().id())
        .put(TutoringSignals.SKILLS_LEARNED, state.learned())
        .put(TutoringSignals.STUDENT_SKILLS, state.knownSorted())
        .put(TutoringSignals.MISCONCEPTIONS, state.misconceptionsSorted())
        .put(TutoringSignals.LEAK, state.leakDetected())
        .put(TutoringSignals.CONTRIBUTED, state.contributed());
  }
}
