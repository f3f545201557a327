package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared fixtures for the sparse games' tests. */
final class Games {
  private Games() {}

  static List<Message> script(String... actions) {
    return Arrays.stream(actions).map(Message::assistant).toList();
  }

  static String text(StepResult r) {
    return r.observation().get(0).content();
  }

  /** What {@code agent} says on turn {@code turn} of an episode that opened with {@code conversation}. */
  static String ask(Agent agent, Task task, long seed, int turn, List<Message> conversation) {
    try {
      AgentResponse r = agent.act(new AgentRequest("test", task, seed, turn, conversation, List.of()))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (r instanceof AgentResponse.Reply reply) {
        return reply.message().content();
      }
      throw new AssertionError("the agent failed: " + ((AgentResponse.Failure) r).reason());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
