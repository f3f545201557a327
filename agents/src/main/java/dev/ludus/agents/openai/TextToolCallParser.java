package dev.ludus.agents.openai;

import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * The seam for models that write tool calls in their text (Hermes {@code <tool_call>} tags, bare JSON)
 * instead of the server returning structured {@code tool_calls}. The {@code openai} backend applies it to a
 * reply's content only when the server returned no structured tool calls. Implementations are stateless and
 * thread-safe.
 *
 * <p>Agents made by the provider get {@link #none()}: their {@code textToolCalls: hermes|json} is applied
 * around the agent by {@link dev.ludus.agents.toolcalls.TextToolCalls}, as for every other backend; the
 * public constructors of {@link OpenAiAgent} use env-api's {@link dev.ludus.api.tools.ToolCallParser} here.
 */
@FunctionalInterface
public interface TextToolCallParser {

  /**
   * What a parser found.
   *
   * @param content the text left once the tool calls are taken out
   * @param toolCalls the calls found, in order (arguments verbatim, possibly malformed)
   */
  record Parsed(String content, List<ToolCall> toolCalls) {
    public Parsed {
      content = content == null ? "" : content;
      toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
    }
  }

  /** Extracts the tool calls written in {@code content}. */
  Parsed parse(String content);

  /** Leaves the text alone: no tool calls are read from it. */
  static TextToolCallParser none() {
    return content -> new Parsed(content, List.of());
  }
}
