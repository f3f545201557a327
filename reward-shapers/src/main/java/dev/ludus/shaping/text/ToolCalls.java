package dev.ludus.shaping.text;

import dev.ludus.api.tools.ParseResult;
import dev.ludus.api.tools.ParsedCall;
import dev.ludus.api.tools.ToolCallParser;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads function calls: the agent's (from {@link Message#toolCalls()}, or else from hermes-style
 * {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>} blocks in its text) and the gold ones
 * (a JSON array of {@code {"name": ..., "arguments": {...}}}). A call object may name its arguments
 * {@code arguments} (OpenAI, hermes) or {@code parameters} (ToolRL's data), and give them as an object or
 * as JSON text holding an object; a call without either has no arguments. Stateless.
 */
final class ToolCalls {
  private ToolCalls() {}

  /** One call: a function name and its parsed arguments. */
  record Call(String name, Map<String, Object> arguments) {
    Call {
      Objects.requireNonNull(name, "name");
      arguments = Map.copyOf(arguments);
    }

    /** Same name and JSON-equal arguments. */
    boolean sameAs(Call other) {
      return name.equals(other.name) && Json.equal(arguments, other.arguments);
    }
  }

  /** What an agent message calls: the calls, none, or calls it failed to write. */
  sealed interface Extracted permits Calls, Malformed {}

  /** Well-formed calls (possibly none); {@code structured} when they came from {@code tool_calls}. */
  record Calls(List<Call> calls, boolean structured) implements Extracted {
    Calls {
      calls = List.copyOf(calls);
    }
  }

  /** At least one call that could not be read, and why. */
  record Malformed(String reason) implements Extracted {}

  /** The calls of an agent message: its {@code tool_calls} if any, else its {@code <tool_call>} blocks. */
  static Extracted fromMessage(Message m) {
    if (!m.toolCalls().isEmpty()) {
      List<Call> calls = new ArrayList<>();
      for (ToolCall tc : m.toolCalls()) {
        if (tc.name().isBlank()) {
          return new Malformed("a tool call has no function name");
        }
        Optional<Map<String, Object>> args = Json.tryParseObject(tc.arguments());
        if (args.isEmpty()) {
          return new Malformed("the arguments of '" + tc.name() + "' are not a JSON object");
        }
        calls.add(new Call(tc.name(), args.get()));
      }
      return new Calls(calls, true);
    }
    return fromText(m.content());
  }

  /**
   * The calls in hermes-style {@code <tool_call>} blocks, read by the agents' {@link ToolCallParser} (the
   * same parser the {@code openai} backend uses for models that write calls in text), so that a shaper and
   * the backend never disagree about what a message calls. The parser is lenient and says what it forgave;
   * a reward for format must not be, so a parse with warnings counts as malformed here.
   */
  static Extracted fromText(String content) {
    ParseResult r = ToolCallParser.hermes().parse(content);
    if (r instanceof ParseResult.NoCalls) {
      return new Calls(List.of(), false);
    }
    if (r instanceof ParseResult.Failure f) {
      return new Malformed(f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at offset "
          + f.offset() + ": " + f.detail());
    }
    ParseResult.Calls parsed = (ParseResult.Calls) r;
    if (!parsed.warnings().isEmpty()) {
      // the parser forgave something (an unclosed tag, a trailing comma, a fence) that ToolRL's strict
      // reading rejects: for scoring, the message is malformed
      return new Malformed("not strictly well-formed: " + String.join("; ", parsed.warnings()));
    }
    List<Call> calls = new ArrayList<>();
    for (ParsedCall pc : parsed.calls()) {
      Optional<Map<String, Object>> args = Json.tryParseObject(pc.arguments());
      if (args.isEmpty()) {
        return new Malformed("the arguments of '" + pc.name() + "' are not a JSON object");
      }
      calls.add(new Call(pc.name(), args.get()));
    }
    return new Calls(calls, false);
  }

  /**
   * Gold calls from JSON text: an array of call objects.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static List<Call> goldCalls(Object json) {
    if (!(json instanceof List<?> list)) {
      throw new IllegalArgumentException("gold calls must be a JSON array of {\"name\":..., \"arguments\":{...}}");
    }
    List<Call> calls = new ArrayList<>();
    for (Object v : list) {
      if (!(v instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("gold calls must be a JSON array of {\"name\":..., \"arguments\":{...}}, "
            + "found an element that is not an object");
      }
      Optional<String> bad = addCalls(v, calls);
      if (bad.isPresent()) {
        throw new IllegalArgumentException("bad gold call: " + bad.get());
      }
    }
    return calls;
  }

  /** Adds the call (or array of calls) {@code v} to {@code out}; returns why it is not one, if it is not. */
  private static Optional<String> addCalls(Object v, List<Call> out) {
    if (v instanceof List<?> list) {
      for (Object e : list) {
        if (e instanceof List<?>) {
          return Optional.of("a nested array is not a call");
        }
        Optional<String> bad = addCalls(e, out);
        if (bad.isPresent()) {
          return bad;
        }
      }
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> obj)) {
      return Optional.of("a call must be a JSON object, found " + v);
    }
    if (!(obj.get("name") instanceof String name) || name.isBlank()) {
      return Optional.of("a call has no \"name\" string");
    }
    Object args = obj.containsKey("arguments") ? obj.get("arguments") : obj.get("parameters");
    if (args instanceof String text) {
      Optional<Map<String, Object>> parsed = Json.tryParseObject(text);
      if (parsed.isEmpty()) {
        return Optional.of("the arguments of '" + name + "' are not a JSON object");
      }
      args = parsed.get();
    }
    if (args == null || args == Json.NULL) {
      args = Map.of();
    }
    if (!(args instanceof Map<?, ?> argMap)) {
      return Optional.of("the arguments of '" + name + "' are not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) argMap;
    out.add(new Call(name, typed));
    return Optional.empty();
  }
}
