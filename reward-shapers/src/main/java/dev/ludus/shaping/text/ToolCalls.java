package dev.ludus.shaping.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.tools.ParseResult;
import dev.ludus.api.tools.ParsedCall;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.api.tools.ToolCallParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads function calls for the shapers, through env-api's one reader of tool calls ({@link ToolCallParser},
 * {@link StrictJson}), so that a shaper, an environment's {@link dev.ludus.api.tools.ToolDispatcher} and an
 * agent backend never disagree about what a message calls: the agent's calls (its {@link Message#toolCalls()},
 * or else hermes-style {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>} blocks in its text) and
 * the gold ones (a JSON array of {@code {"name": ..., "arguments": {...}}}). A call object may name its
 * arguments {@code arguments} (OpenAI, hermes) or {@code parameters} (ToolRL's data), and give them as an
 * object or as JSON text holding an object; a call without either has no arguments. Stateless.
 */
final class ToolCalls {
  private ToolCalls() {}

  /** One call: a function name and its arguments object (the call's own copy; never changed). */
  record Call(String name, ObjectNode arguments) {
    Call {
      Objects.requireNonNull(name, "name");
      arguments = Objects.requireNonNull(arguments, "arguments").deepCopy();
    }

    /** Same name and JSON-equal arguments ({@link StrictJson#equal}). */
    boolean sameAs(Call other) {
      return name.equals(other.name) && StrictJson.equal(arguments, other.arguments);
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
        Optional<ObjectNode> args = StrictJson.tryParseObject(tc.arguments());
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
   * The calls in hermes-style {@code <tool_call>} blocks, read by env-api's {@link ToolCallParser} (the same
   * parser environments and the agent backends use for models that write calls in text). The parser is
   * lenient and says what it forgave; a reward for format must not be, so a parse with warnings counts as
   * malformed here.
   */
  static Extracted fromText(String content) {
    ParseResult r = ToolCallParser.hermes().parse(content);
    if (r instanceof ParseResult.NoCalls) {
      return new Calls(List.of(), false);
    }
    if (r instanceof ParseResult.Failure f) {
      return new Malformed(f.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " at offset "
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
      calls.add(new Call(pc.name(), StrictJson.tryParseObject(pc.arguments()).orElseThrow()));
    }
    return new Calls(calls, false);
  }

  /**
   * One turn's gold: the calls, and whether a {@code <response>} block is expected after them (or instead of
   * them).
   */
  record Gold(List<Call> calls, boolean response) {
    Gold {
      calls = List.copyOf(calls);
    }

    /** Gold calls from a JSON array: a response is expected exactly when no call is. */
    static Gold ofCalls(List<Call> calls) {
      return new Gold(calls, calls.isEmpty());
    }
  }

  /** Whether {@code text} is a ToolRL {@code output} (blocks of {@code <think>}, {@code <tool_call>}, {@code <response>}). */
  static boolean looksLikeToolRlOutput(String text) {
    return text.contains("<tool_call>") || text.contains("<response>") || text.strip().startsWith("<think>");
  }

  /**
   * The gold of a ToolRL {@code output} as {@code rlla.py} reads it: the calls are the JSON lines of the first
   * {@code <tool_call>} block ({@code {"name": ..., "parameters": {...}}}), and a response is expected when the
   * output has a {@code <response>} block.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static Gold toolRlOutput(String output) {
    List<Call> calls = new ArrayList<>();
    int open = output.indexOf("<tool_call>");
    if (open >= 0) {
      int close = output.indexOf("</tool_call>", open);
      if (close < 0) {
        throw new IllegalArgumentException("the ToolRL output's <tool_call> is not closed");
      }
      for (String line : output.substring(open + "<tool_call>".length(), close).strip().split("\n")) {
        if (!line.isBlank()) {
          calls.addAll(goldCalls(StrictJson.parse("[" + line.strip() + "]")));
        }
      }
    }
    return new Gold(calls, output.contains("<response>"));
  }

  /**
   * Gold calls from JSON: an array of call objects, each read by the parser's {@code json} format.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static List<Call> goldCalls(JsonNode json) {
    String shape = "gold calls must be a JSON array of {\"name\":..., \"arguments\":{...}}";
    if (!json.isArray()) {
      throw new IllegalArgumentException(shape);
    }
    List<Call> calls = new ArrayList<>();
    for (JsonNode v : json) {
      if (!v.isObject()) {
        throw new IllegalArgumentException(shape + ", found an element that is not an object");
      }
      ParseResult r = ToolCallParser.json().parse(StrictJson.canonical(v));
      if (r instanceof ParseResult.Failure f) {
        throw new IllegalArgumentException("bad gold call: " + f.detail());
      }
      for (ParsedCall pc : ((ParseResult.Calls) r).calls()) {
        calls.add(new Call(pc.name(), StrictJson.tryParseObject(pc.arguments()).orElseThrow()));
      }
    }
    return calls;
  }
}
