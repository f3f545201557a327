package dev.ludus.environments.dialogue.tutoring;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A teacher who lets the student lead: it asks the student to try the next step; when the student is stuck on a
 * skill it gives that skill's example hint, when the student states a misconception it gives the correcting hint,
 * each followed by "Now try that step."; once the student has stated the answer it writes
 * {@code <end_of_conversation>}. It never writes a number, so it never leaks. It reads the student's lines from the
 * skill table (the built-in one unless given another). Stateless and thread-safe.
 */
final class TutoringOracle implements Agent {
  static final String ASK = "Have a go at the next step. What would you do?";
  static final String TRY = " Now try that step.";
  private final Map<String, Skill> skills;

  TutoringOracle(Map<String, Skill> skills) {
    this.skills = skills;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    List<Message> c = request.conversation();
    String last = c.isEmpty() || c.get(c.size() - 1).role() != Role.USER ? "" : c.get(c.size() - 1).content();
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(next(last))));
  }

  private String next(String student) {
    if (student.contains("So the answer is") || student.contains("worked it all out")) {
      return TeacherClassifier.END;
    }
    for (Skill s : skills.values()) {
      if (s.misconception() != null && student.contains(s.misconception().belief())) {
        return s.misconception().example() + TRY;
      }
    }
    for (Skill s : skills.values()) {
      if (student.contains(s.stuck())) {
        return s.example() + TRY;
      }
    }
    return ASK;
  }
}
