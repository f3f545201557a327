package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One chat message in the OpenAI chat format. Immutable and thread-safe.
 *
 * @param role who wrote it
 * @param content the text; may be empty for an assistant message that only calls tools
 * @param toolCalls the function calls of an assistant message (empty otherwise)
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers (else null; empty means null)
 * @param name an optional author name (e.g. the tool's name for a tool result), or null (empty means null)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Message(
    Role role,
    String content,
    @JsonProperty("tool_calls") List<ToolCall> toolCalls,
    @JsonProperty("tool_call_id") String toolCallId,
    String name) {

  public Message {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    // the wire format leaves empty fields out, so an empty one reads back as absent: make it absent already
    toolCallId = toolCallId == null || toolCallId.isEmpty() ? null : toolCallId;
    name = name == null || name.isEmpty() ? null : name;
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isEmpty())) {
      throw new IllegalArgumentException("a tool message needs the tool_call_id it answers");
    }
    if (role != Role.ASSISTANT && !toolCalls.isEmpty()) {
      throw new IllegalArgumentException("only assistant messages carry tool_calls, not " + role.wireName());
    }
  }

  public static Message system(String content) {
    return new Message(Role.SYSTEM, content, List.of(), null, null);
  }

  public static Message user(String content) {
    return new Message(Role.USER, content, List.of(), null, null);
  }

  public static Message assistant(String content) {
    return new Message(Role.ASSISTANT, content, List.of(), null, null);
  }

  public static Message assistant(String content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, toolCalls, null, null);
  }

  /** The result of the tool call {@code toolCallId}, from the tool {@code toolName}. */
  public static Message toolResult(String toolCallId, String toolName, String content) {
    return new Message(Role.TOOL, content, List.of(), toolCallId, toolName);
  }
}
