package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * Everything an agent gets for one turn. Immutable and thread-safe.
 *
 * <p>What the agent gets of the task depends on its privilege ({@link Task#visibleTo}): a {@link PrivilegedAgent}
 * (the environment's oracle) gets the whole task, or in a seat of a multi-agent environment that seat's private
 * view of it ({@link Task#seatView}); any other agent (a learning policy, {@code djl-lm}, {@code openai}, the
 * random, scripted and bot agents) gets {@link Task#withheld()}, the task's id and seed without fields, and learns
 * the task from the conversation like a player would.
 *
 * @param episodeId the episode's id (for logs and per-episode caches)
 * @param task the task as this agent may see it (see above)
 * @param seed the episode seed, or in a seat a seed of the seat's own derived from the match's; a sampling agent
 *     derives its randomness from it and {@code turn}
 * @param turn the index of the turn being played (in a seat: the seat's own turns), from 0
 * @param conversation every message so far that this agent (this seat) saw or said, oldest first
 * @param tools the tools the agent may call
 * @param seat the seat played in a multi-agent environment, or null in a single-agent one
 */
public record AgentRequest(
    String episodeId, Task task, long seed, int turn, List<Message> conversation, List<ToolSpec> tools, String seat) {
  public AgentRequest {
    Objects.requireNonNull(episodeId, "episodeId");
    Objects.requireNonNull(task, "task");
    conversation = List.copyOf(conversation);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** A request in a single-agent environment (no seat). */
  public AgentRequest(String episodeId, Task task, long seed, int turn, List<Message> conversation,
      List<ToolSpec> tools) {
    this(episodeId, task, seed, turn, conversation, tools, null);
  }

  /** The last message of the conversation, which the agent answers. */
  public Message last() {
    return conversation.get(conversation.size() - 1);
  }
}
