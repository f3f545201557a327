package dev.ludus.api.tools;

import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ToolCallParser#parse(String)} found in a message: {@link Calls calls}, {@link NoCalls no
 * calls}, or a {@link Failure} that says what is wrong and where. Exactly one of the three; a message that
 * tries to call a tool and gets it wrong is a {@code Failure}, never a {@code NoCalls}.
 *
 * <pre>{@code
 * ParseResult r = ToolCallParser.of("hermes").parse(text);
 * if (r instanceof ParseResult.Calls calls) {
 *   Message m = calls.toMessage();            // content + tool_calls with ids call_0, call_1, ...
 * } else if (r instanceof ParseResult.Failure f) {
 *   log(f.kind() + " at " + f.offset() + ": " + f.detail());
 * }
 * }</pre>
 *
 * <p>All implementations are immutable records and thread-safe.
 */
public sealed interface ParseResult permits ParseResult.Calls, ParseResult.NoCalls, ParseResult.Failure {

  /**
   * One or more well-formed calls.
   *
   * @param calls the calls in the order they appear in the text (never empty)
   * @param content the text outside the tool-call blocks, with leading and trailing whitespace removed
   * @param warnings one line per leniency the parser allowed itself (a trailing comma, a code fence, an
   *     unclosed final tag, ...), in text order; empty when the text was written exactly to the format
   */
  record Calls(List<ParsedCall> calls, String content, List<String> warnings) implements ParseResult {
    public Calls {
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("calls must not be empty; use NoCalls for a message without calls");
      }
      Objects.requireNonNull(content, "content");
      warnings = List.copyOf(warnings);
    }

    /**
     * The calls as env-api records, with deterministic ids {@code call_0}, {@code call_1}, ... in text
     * order.
     */
    public List<ToolCall> toolCalls() {
      List<ToolCall> out = new ArrayList<>(calls.size());
      for (int i = 0; i < calls.size(); i++) {
        out.add(calls.get(i).toToolCall("call_" + i));
      }
      return List.copyOf(out);
    }

    /** An assistant message with {@link #content()} and {@link #toolCalls()}. */
    public Message toMessage() {
      return Message.assistant(content, toolCalls());
    }
  }

  /**
   * The text holds no tool call (nothing that looks like one in this format).
   *
   * @param content the whole text, with leading and trailing whitespace removed
   */
  record NoCalls(String content) implements ParseResult {
    public NoCalls {
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * The text tries to call a tool and the attempt cannot be read. Parsing stops at the first problem.
   *
   * @param kind what went wrong
   * @param detail a one-line explanation naming the offending element
   * @param offset where, as a {@code char} index into the parsed text (0 &le; offset &le; length)
   */
  record Failure(Kind kind, String detail, int offset) implements ParseResult {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be >= 0, was " + offset);
      }
    }
  }

  /** Why a parse failed. */
  enum Kind {
    /**
     * A {@code <tool_call>} is never closed, or is closed only after another {@code <tool_call>} opens;
     * also an unclosed final tag whose body is not a complete call (typically a truncated reply). Offset:
     * the opening tag.
     */
    UNCLOSED_TAG,
    /** A {@code </tool_call>} with no open tag before it. Offset: the closing tag. */
    UNMATCHED_CLOSING_TAG,
    /** A {@code ```json} fence is never closed and what follows it is not a complete call. Offset: the fence. */
    UNCLOSED_FENCE,
    /** A block or fence holds only whitespace, or an empty array. Offset: the block's body. */
    EMPTY_BLOCK,
    /**
     * The JSON is malformed (trailing commas are forgiven, duplicate keys are not). Offset: where the JSON
     * reader gave up.
     */
    INVALID_JSON,
    /** A call is a JSON value other than an object (a string, a number, a nested array). Offset: the value. */
    NOT_AN_OBJECT,
    /** A call object has no {@code "name"}, or it is not a non-blank string. Offset: the call object. */
    MISSING_NAME,
    /**
     * A call's {@code "arguments"} (or {@code "parameters"}) is not an object, nor a string holding a JSON
     * object. Offset: the call object.
     */
    ARGUMENTS_NOT_OBJECT
  }
}
