package dev.ludus.environments.dialogue.tutoring;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Says a random teacher's line: a hint for any skill of the table, an invitation to try, a number (which may leak),
 * small talk, nothing, or {@code <end_of_conversation>} (one time in five). Its randomness comes from the request's
 * seed and turn only, so it is stateless, thread-safe and replays exactly.
 */
final class TutoringRandomAgent implements Agent {
  private final List<String> lines;

  TutoringRandomAgent(Map<String, Skill> skills) {
    List<String> all = new ArrayList<>();
    skills.values().forEach(s -> all.add(s.example()));
    all.addAll(List.of(TutoringOracle.ASK, "Is it 12?", "I think it's 4.", "Good question.", "Let's see.", ""));
    this.lines = List.copyOf(all);
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    String text = random.nextInt(5) == 0 ? TeacherClassifier.END : lines.get(random.nextInt(lines.size()));
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }
}
