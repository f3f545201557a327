package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * Everything an agent gets for one turn. Immutable and thread-safe.
 *
 * @param episodeId the episode's id (for logs and per-episode caches)
 * @param task the episode's task (oracles use it; learning agents should not)
 * @param seed the episode seed; a sampling agent derives its randomness from it and {@code turn}
 * @param turn the index of the turn being played, from 0
 * @param conversation every message so far, oldest first
 * @param tools the tools the agent may call
 */
public record AgentRequest(
    String episodeId, Task task, long seed, int turn, List<Message> conversation, List<ToolSpec> tools) {
  public AgentRequest {
    Objects.requireNonNull(episodeId, "episodeId");
    Objects.requireNonNull(task, "task");
    conversation = List.copyOf(conversation);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** The last message of the conversation, which the agent answers. */
  public Message last() {
    return conversation.get(conversation.size() - 1);
  }
}
