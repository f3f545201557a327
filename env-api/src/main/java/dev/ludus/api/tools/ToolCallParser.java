package dev.ludus.api.tools;

import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads tool calls that a model wrote in its text rather than as structured {@code tool_calls}.
 * Immutable and thread-safe: one instance per format can be shared by every episode.
 *
 * <h2>Formats</h2>
 *
 * <ul>
 *   <li>{@code hermes}: one or more {@code <tool_call>{"name": "f", "arguments": {...}}</tool_call>}
 *       blocks anywhere in the text; a block may also hold an array of call objects.
 *   <li>{@code json}: the message is a call object or an array of them, or (when it does not start with
 *       <code>&#123;</code> or <code>[</code>) its {@code ```json} code fences are.
 * </ul>
 *
 * <p>In both, a call object is {@code {"name": string, "arguments": object}}; {@code "parameters"} is read
 * as a synonym of {@code "arguments"}, arguments may be given as a string holding a JSON object (as in the
 * OpenAI wire format), and missing or {@code null} arguments mean {@code {}}.
 *
 * <h2>Contract</h2>
 *
 * <p>{@link #parse(String)} never throws for a non-null string. It is lenient where the intent is clear
 * and says so: trailing commas, a code fence around the JSON inside a block, whitespace around the JSON,
 * and an unclosed final {@code <tool_call>} whose body is a complete call are accepted, each with a line
 * in {@link ParseResult.Calls#warnings()}. Anything else that looks like a call but cannot be read is a
 * {@link ParseResult.Failure} naming the {@link ParseResult.Kind kind} of problem and its offset;
 * parsing stops at the first one. Arguments come back as canonical JSON text (see {@link ParsedCall}).
 *
 * <pre>{@code
 * ToolCallParser parser = ToolCallParser.of("hermes");
 * ParseResult r = parser.parse("Let me check.\n<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}</tool_call>");
 * // r is Calls(calls=[ParsedCall[name=weather, arguments={"city":"Oslo"}, start=14, end=87]],
 * //             content="Let me check.", warnings=[])
 * List<ToolCall> toolCalls = ((ParseResult.Calls) r).toolCalls();   // ids call_0, call_1, ...
 *
 * parser.parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": }}</tool_call>");
 * // Failure(INVALID_JSON, "<tool_call> at offset 0 is not valid JSON: Unexpected character ('}' ...", 53)
 * }</pre>
 */
public final class ToolCallParser {
  /** The format names {@link #of(String)} accepts. */
  public static final List<String> FORMATS = List.of("hermes", "json");

  private static final ToolCallParser HERMES = new ToolCallParser(new HermesFormat());
  private static final ToolCallParser JSON = new ToolCallParser(new JsonFormat());

  private final Format format;

  private ToolCallParser(Format format) {
    this.format = format;
  }

  /**
   * The parser for {@code format} (case-insensitive), one of {@link #FORMATS}.
   *
   * @throws IllegalArgumentException naming the unknown format and the allowed ones
   */
  public static ToolCallParser of(String format) {
    Objects.requireNonNull(format, "format");
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "hermes" -> HERMES;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException(
          "unknown tool-call format '" + format + "'; allowed: " + String.join(", ", FORMATS));
    };
  }

  /** The parser for {@code <tool_call>...</tool_call>} blocks. */
  public static ToolCallParser hermes() {
    return HERMES;
  }

  /** The parser for messages (or code fences) that are JSON call objects. */
  public static ToolCallParser json() {
    return JSON;
  }

  /** This parser's format name, as {@link #of(String)} takes it. */
  public String format() {
    return format.name();
  }

  /**
   * The tool calls in {@code text}: {@link ParseResult.Calls}, {@link ParseResult.NoCalls} or {@link
   * ParseResult.Failure}. Never throws for a non-null argument.
   *
   * @throws NullPointerException if {@code text} is null
   */
  public ParseResult parse(String text) {
    Objects.requireNonNull(text, "text");
    return format.parse(text);
  }

  /**
   * The text a model writes to make {@code calls} in this format: {@code <tool_call>} blocks, one per call,
   * separated by newlines (hermes); one call object, or an array of them (json); empty for no calls. Each
   * call object is {@code {"name":...,"arguments":{...}}} with the arguments in canonical form (arguments that
   * are not a JSON object, as a model may send them natively, are written as a JSON string). Deterministic.
   *
   * <p>Law: for calls whose arguments are JSON objects, {@code parse(render(calls))} gives back the same
   * names and canonical arguments, with the ids {@code call_0}, {@code call_1}, ...
   */
  public String render(List<ToolCall> calls) {
    Objects.requireNonNull(calls, "calls");
    return format.render(calls);
  }

  /**
   * A system-prompt block that lists {@code tools} and says how to call them in this format, in the manner of
   * the Hermes and Qwen chat templates:
   *
   * <pre>
   * # Tools
   *
   * You may call one or more of the functions below. Their signatures are inside &lt;tools&gt;&lt;/tools&gt;:
   * &lt;tools&gt;
   * {"type":"function","function":{"name":...,"description":...,"parameters":{...}}}
   * &lt;/tools&gt;
   *
   * To call a function, write a JSON object with its name and arguments inside ... (format-specific)
   * </pre>
   *
   * One compact JSON line per tool, in the given order; deterministic.
   */
  public String instructions(List<ToolSpec> tools) {
    Objects.requireNonNull(tools, "tools");
    return "# Tools\n\nYou may call one or more of the functions below. Their signatures are inside <tools></tools>:\n"
        + "<tools>\n" + CallJson.toolLines(tools) + "</tools>\n\n" + format.howToCall();
  }

  @Override
  public String toString() {
    return "ToolCallParser[" + format.name() + "]";
  }
}
