package dev.ludus.agents.toolcalls;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AgentStatistics;
import dev.ludus.api.FailureKind;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ParseResult;
import dev.ludus.api.tools.ToolCallParser;
import dev.ludus.api.tools.ToolCallValidator;
import dev.ludus.api.tools.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Reads the tool calls a model writes in its text ({@code <tool_call>} blocks, or JSON call objects) and
 * puts them on the reply as native {@code tool_calls}, for any agent backend: the {@code openai} agent's and
 * the {@code djl-lm} agent's {@code textToolCalls} option, or any {@link Agent} through {@link #wrap}.
 *
 * <pre>{@code
 * Agent agent = TextToolCalls.of("my-backend", ToolCallParser.hermes(), TextToolCalls.OnInvalid.PASS).wrap(inner);
 * // a reply "Let me look.<tool_call>{"name":"search","arguments":{"q":"x"}}</tool_call>" comes back as
 * // content "Let me look." with tool_calls [{id: call_0, function: {name: search, arguments: {"q":"x"}}}]
 * }</pre>
 *
 * <p>What happens to a reply:
 *
 * <ul>
 *   <li>a failure, or a reply that already has native {@code tool_calls}, is left as it is;
 *   <li>text with no calls, or with calls that cannot be read, is left as it is (the environment's
 *       {@link dev.ludus.api.tools.ToolDispatcher} and the shapers then see, and judge, what the model wrote);
 *   <li>text with calls becomes the text outside the calls plus the calls, with the ids {@code call_0},
 *       {@code call_1}, ... and canonical arguments; the token trace, finish reason and usage are kept, since
 *       they describe what the model generated;
 *   <li>when the turn offers tools, each call is checked against their JSON Schemas ({@link
 *       ToolCallValidator}): with {@link OnInvalid#FAIL} a call naming no offered tool or breaking its
 *       schema fails the turn with the reason {@code <backend>/invalid-tool-arguments: ...}; with {@link
 *       OnInvalid#PASS} it is passed on for the environment to answer and flag ({@code tool-error}). When
 *       the turn offers no tools there is nothing to check against and the calls are passed on.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class TextToolCalls {
  /** The values of a backend's {@code textToolCalls} option: {@code none} or a parser format. */
  public static final List<String> OPTIONS = options();

  /**
   * How a backend reads tool calls a model writes in its text: its {@code textToolCalls} option. The default is
   * {@link #NONE} in every backend: a server that parses calls itself (e.g. {@code vllm --tool-call-parser})
   * returns them native, and reading the text as well would read them twice.
   */
  public enum Format {
    /** The default: read nothing; replies are left as they are. */
    @JsonProperty("none")
    NONE,
    /** Hermes blocks, {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>} ({@link ToolCallParser}). */
    @JsonProperty("hermes")
    HERMES,
    /** A bare JSON object or array of {@code {"name": ..., "arguments": {...}}} ({@link ToolCallParser}). */
    @JsonProperty("json")
    JSON;

    /** The option value: {@code none}, {@code hermes} or {@code json}. */
    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code value} (case-insensitive); null gives the default, {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the bad value and the allowed ones
     */
    public static Format parse(String value) {
      String v = value == null ? "none" : value.toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (f.option().equals(v)) {
          return f;
        }
      }
      throw new IllegalArgumentException("textToolCalls must be one of " + String.join(", ", OPTIONS) + ", was '"
          + value + "'");
    }
  }

  /**
   * What to do with a text call that names no offered tool or whose arguments break the tool's schema: a backend's
   * {@code invalidToolArguments} option. Its default is the backend's: {@link #FAIL} for {@code openai} (a served
   * model that breaks the schema is a failure to see), {@link #PASS} for {@code djl-lm} (a policy in training learns
   * from the environment's {@code tool-error}).
   */
  public enum OnInvalid {
    /** Fail the turn (the episode is recorded as failed with the reason). */
    @JsonProperty("fail")
    FAIL,
    /** Pass the call on; the environment answers it with an error and flags it. */
    @JsonProperty("pass")
    PASS;

    /**
     * The policy named {@code value} (case-insensitive), or {@code fallback} when it is null.
     *
     * @throws IllegalArgumentException naming the bad value and the allowed ones
     */
    public static OnInvalid parse(String value, OnInvalid fallback) {
      if (value == null) {
        return fallback;
      }
      for (OnInvalid o : values()) {
        if (o.option().equals(value.toLowerCase(Locale.ROOT))) {
          return o;
        }
      }
      throw new IllegalArgumentException("invalidToolArguments must be one of fail, pass, was '" + value + "'");
    }

    /** The option value, {@code fail} or {@code pass}. */
    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final TextToolCalls NONE = new TextToolCalls("", null, OnInvalid.PASS);

  private final String backend;
  private final ToolCallParser parser;
  private final OnInvalid onInvalid;

  private TextToolCalls(String backend, ToolCallParser parser, OnInvalid onInvalid) {
    this.backend = backend;
    this.parser = parser;
    this.onInvalid = onInvalid;
  }

  /** Reads nothing: every reply is left as it is. */
  public static TextToolCalls none() {
    return NONE;
  }

  /**
   * Reads calls in {@code parser}'s format.
   *
   * @param backend the name that starts failure reasons ({@code openai}, {@code djl-lm})
   */
  public static TextToolCalls of(String backend, ToolCallParser parser, OnInvalid onInvalid) {
    Objects.requireNonNull(backend, "backend");
    return new TextToolCalls(backend, Objects.requireNonNull(parser, "parser"),
        Objects.requireNonNull(onInvalid, "onInvalid"));
  }

  /**
   * From a backend's options: {@code textToolCalls} one of {@link #OPTIONS} ({@code none}, {@code hermes},
   * {@code json}; case-insensitive) and {@code invalidToolArguments} {@code fail} or {@code pass}.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed ones
   */
  public static TextToolCalls fromOptions(String backend, String textToolCalls, String invalidToolArguments) {
    return of(backend, Format.parse(textToolCalls), OnInvalid.parse(invalidToolArguments, OnInvalid.FAIL));
  }

  /** Reads calls in {@code format} ({@link #none()} for {@link Format#NONE}), doing {@code onInvalid} with bad ones. */
  public static TextToolCalls of(String backend, Format format, OnInvalid onInvalid) {
    return format == Format.NONE ? NONE : of(backend, ToolCallParser.of(format.option()), onInvalid);
  }

  /** Whether any text is read (false for {@link #none()}). */
  public boolean enabled() {
    return parser != null;
  }

  /** The reply with the calls in its text made native, or the turn failed; see the class comment. */
  public AgentResponse apply(AgentResponse response, List<ToolSpec> tools) {
    Objects.requireNonNull(response, "response");
    if (parser == null || !(response instanceof AgentResponse.Reply reply) || !reply.message().toolCalls().isEmpty()) {
      return response;
    }
    ParseResult parsed = parser.parse(reply.message().content());
    if (!(parsed instanceof ParseResult.Calls calls)) {
      return response;
    }
    List<ToolCall> toolCalls = calls.toolCalls();
    if (onInvalid == OnInvalid.FAIL && !tools.isEmpty()) {
      List<String> problems = new ArrayList<>();
      for (ToolCall call : toolCalls) {
        ValidationResult v = ToolCallValidator.shared().validate(call, tools);
        if (!v.valid()) {
          problems.add("text tool call '" + call.name() + "' (id " + call.id() + "): " + v.describe());
        }
      }
      if (!problems.isEmpty()) {
        return AgentResponse.failure(FailureKind.TOOL, backend + "/invalid-tool-arguments: " + String.join("; ", problems));
      }
    }
    Message message = Message.assistant(calls.content(), toolCalls);
    return AgentResponse.reply(message, reply.tokens(), reply.finishReason(), reply.usage());
  }

  /**
   * {@code agent} with its replies read by {@link #apply} against each request's tools; {@code agent} itself
   * when nothing is read. Closing the wrapper closes {@code agent}; if {@code agent} keeps {@link
   * AgentStatistics}, so does the wrapper.
   */
  public Agent wrap(Agent agent) {
    Objects.requireNonNull(agent, "agent");
    if (parser == null) {
      return agent;
    }
    return agent instanceof AgentStatistics ? new WrappedWithStatistics(agent, this) : new Wrapped(agent, this);
  }

  @Override
  public String toString() {
    return parser == null ? "TextToolCalls[none]"
        : "TextToolCalls[" + parser.format() + ", " + onInvalid.option() + "]";
  }

  private static List<String> options() {
    List<String> out = new ArrayList<>();
    out.add("none");
    out.addAll(ToolCallParser.FORMATS);
    return List.copyOf(out);
  }

  private static class Wrapped implements Agent {
    final Agent agent;
    private final TextToolCalls text;

    Wrapped(Agent agent, TextToolCalls text) {
      this.agent = agent;
      this.text = text;
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      return agent.act(request).thenApply(r -> text.apply(r, request.tools()));
    }

    @Override
    public void episodeEnded(String episodeId) {
      agent.episodeEnded(episodeId);
    }

    @Override
    public void close() {
      agent.close();
    }

    @Override
    public String toString() {
      return agent + " reading " + text;
    }
  }

  private static final class WrappedWithStatistics extends Wrapped implements AgentStatistics {
    WrappedWithStatistics(Agent agent, TextToolCalls text) {
      super(agent, text);
    }

    @Override
    public Record statistics() {
      return ((AgentStatistics) agent).statistics();
    }
  }
}
