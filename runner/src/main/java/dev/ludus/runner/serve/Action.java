package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A step's action: the agent's assistant message, as {@code {"message": TEXT}} (TextArena's OpenEnv action) or
 * {@code {"content": TEXT, "tool_calls": [...]}} (OpenAI's assistant message; each call
 * {@code {id?, type?: "function", function: {name, arguments}}}, arguments as JSON text or an object), and in a
 * multi-agent environment optionally {@code player_id}, the seat that moves. Unknown fields are refused, as
 * OpenEnv's actions forbid extra fields.
 */
record Action(Message message, String playerId) {
  static final Set<String> FIELDS = Set.of("message", "content", "tool_calls", "player_id");

  static Action parse(JsonNode data, List<String> seats) {
    if (data == null || !data.isObject()) {
      throw WireError.invalid("step data must be an action object, e.g. {\"message\": \"...\"} or "
          + "{\"content\": \"...\", \"tool_calls\": [...]}", List.of("data"), "model_type");
    }
    for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f) || (f.equals("player_id") && seats == null)) {
        throw WireError.invalid("unknown action field '" + f + "'; allowed: message or content, tool_calls"
            + (seats == null ? "" : ", player_id"), List.of("data", f), "extra_forbidden");
      }
    }
    if (data.has("message") && data.has("content")) {
      throw WireError.invalid("give the text once, as message or as content, not both", List.of("data", "message"),
          "value_error");
    }
    JsonNode text = data.has("message") ? data.get("message") : data.get("content");
    String field = data.has("message") ? "message" : "content";
    if (text != null && !text.isNull() && !text.isTextual()) {
      throw WireError.invalid(field + " must be a string", List.of("data", field), "string_type");
    }
    List<ToolCall> calls = toolCalls(data.get("tool_calls"));
    if ((text == null || text.isNull()) && calls.isEmpty()) {
      throw WireError.invalid("the action needs message (or content) text, or tool_calls", List.of("data", "message"),
          "missing");
    }
    String playerId = null;
    JsonNode p = data.get("player_id");
    if (p != null && !p.isNull()) {
      if (!p.isTextual() || !seats.contains(p.asText())) {
        throw WireError.invalid("player_id must be one of the seats " + seats + ", was " + p, List.of("data",
            "player_id"), "enum");
      }
      playerId = p.asText();
    }
    return new Action(Message.assistant(text == null || text.isNull() ? "" : text.asText(), calls), playerId);
  }

  private static List<ToolCall> toolCalls(JsonNode node) {
    List<ToolCall> calls = new ArrayList<>();
    if (node == null || node.isNull()) {
      return calls;
    }
    if (!node.isArray()) {
      throw WireError.invalid("tool_calls must be an array", List.of("data", "tool_calls"), "list_type");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode c = node.get(i);
      JsonNode f = c.path("function");
      if (!c.isObject() || !f.path("name").isTextual()) {
        throw WireError.invalid("tool_calls[" + i + "] must be {id, type: \"function\", function: {name, arguments}}",
            List.of("data", "tool_calls", i), "model_type");
      }
      JsonNode args = f.path("arguments");
      String arguments = args.isMissingNode() || args.isNull() ? "{}" : args.isTextual() ? args.asText()
          : args.toString();
      String id = c.path("id").isTextual() ? c.get("id").asText() : "call_" + i;
      calls.add(ToolCall.of(id, f.get("name").asText(), arguments));
    }
    return calls;
  }
}
