package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * What an environment shows the agent when an episode starts. Immutable and thread-safe.
 *
 * @param observation the opening messages (usually a system prompt and a first user message)
 * @param tools the tools the agent may call in this episode (empty for text-only environments)
 * @param signals facts for shapers only, never shown to the agent
 */
public record Reset(List<Message> observation, List<ToolSpec> tools, Signals signals) {
  public Reset {
    observation = List.copyOf(Objects.requireNonNull(observation, "observation"));
    tools = tools == null ? List.of() : List.copyOf(tools);
    signals = signals == null ? Signals.empty() : signals;
  }

  public static Reset of(List<Message> observation) {
    return new Reset(observation, List.of(), Signals.empty());
  }
}
