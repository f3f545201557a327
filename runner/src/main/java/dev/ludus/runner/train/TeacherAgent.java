package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.environments.text.ActionText;
import dev.ludus.runner.learn.Demonstration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * Plays the environment's oracle and turns each of its turns into a {@link Demonstration} for the student: the
 * prompt ids are the ones the student's chat template renders for that very conversation (taken from the
 * student's own token trace for the same request, so the prompt is never re-rendered by other code), and the
 * target is the oracle's action ({@link ActionText#extract}: the content of an {@code <answer>} tag, else the
 * whole text; or, asked to, its whole message) followed by the end-of-turn token. The episode goes on with that
 * action, so the conversation the next demonstration conditions on is exactly the one the student will see. The teacher is privileged (its oracle
 * needs the task); the student's request carries the task withheld, as in training. Thread-safe.
 */
final class TeacherAgent implements PrivilegedAgent {
  private final Agent oracle;
  private final DjlLmAgent student;
  private final boolean wholeMessage;
  private final List<Demonstration> demonstrations = new ArrayList<>();

  TeacherAgent(Agent oracle, DjlLmAgent student) {
    this(oracle, student, false);
  }

  /** @param wholeMessage demonstrate the oracle's whole message, not only its action part */
  TeacherAgent(Agent oracle, DjlLmAgent student, boolean wholeMessage) {
    this.oracle = Objects.requireNonNull(oracle, "oracle");
    this.student = Objects.requireNonNull(student, "student");
    this.wholeMessage = wholeMessage;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    AgentRequest asStudent = new AgentRequest(request.episodeId(), request.task().withheld(), request.seed(),
        request.turn(), request.conversation(), request.tools(), request.seat());
    return oracle.act(request).thenCombine(student.act(asStudent), (o, s) -> {
      if (!(o instanceof AgentResponse.Reply reply)) {
        return o;
      }
      String action = action(reply, wholeMessage);
      int[] target = target(student.tokenizer(), reply, wholeMessage);
      if (s instanceof AgentResponse.Reply r && r.tokens() != null && target != null) {
        synchronized (demonstrations) {
          demonstrations.add(new Demonstration(r.tokens().promptIds(), target));
        }
      }
      return AgentResponse.reply(Message.assistant(action));
    });
  }

  @Override
  public void episodeEnded(String episodeId) {
    oracle.episodeEnded(episodeId);
    student.episodeEnded(episodeId);
  }

  /** What the student imitates of the oracle's {@code reply}: its action part, or its whole message. */
  static String action(AgentResponse.Reply reply, boolean wholeMessage) {
    return wholeMessage ? reply.message().content().strip() : ActionText.extract(reply.message());
  }

  /** The target ids of {@code reply} ({@link #action}, then the end-of-turn token), or null when it has no action. */
  static int[] target(LmTokenizer tokenizer, AgentResponse.Reply reply, boolean wholeMessage) {
    String action = action(reply, wholeMessage);
    if (action.isEmpty()) {
      return null;
    }
    return IntStream.concat(IntStream.of(tokenizer.encode(action)), IntStream.of(tokenizer.eosId())).toArray();
  }

  /** The demonstrations collected so far. */
  List<Demonstration> demonstrations() {
    synchronized (demonstrations) {
      return List.copyOf(demonstrations);
    }
  }
}
