package dev.ludus.api.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Message;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an assistant message's tool calls and turns them into tool messages and signals: the piece every
 * tool-using environment needs between the agent's message and its next observation.
 *
 * <pre>{@code
 * ToolDispatcher tools = ToolDispatcher.of(add, lookup);       // native calls, or hermes <tool_call> text
 * Reset reset = new Reset(List.of(Message.user("...")), tools.specs(), Signals.empty());
 * ...
 * public CompletionStage<StepResult> step(Message action) {
 *   return tools.dispatch(action).thenApply(d -> d.called()
 *       ? new StepResult(d.messages(), 0, false, ++turn >= maxTurns, d.signals())
 *       : grade(action.content()));                               // no call: the agent answered
 * }
 * }</pre>
 *
 * <p>Reading: a message's native {@code tool_calls} if it has any, else (unless {@link
 * Builder#nativeOnly()}) the calls written in its text in the dispatcher's format ({@code hermes} by
 * default, read by {@link ToolCallParser}; text calls get the ids {@code call_0}, {@code call_1}, ... as
 * {@link ParseResult.Calls#toolCalls()} gives them). Each call is checked with {@link ToolCallValidator}
 * against the tools' specs before it runs: an unknown tool, arguments that are not a JSON object, or
 * arguments that break the tool's JSON Schema are answered with an {@code Error: ...} tool message and
 * never reach the tool. A valid call runs under its tool's {@link Tool#timeLimit()}; a tool that times out
 * is cancelled and answered with an error message, as is one that fails or throws.
 *
 * <p>Order: by default the calls of one message run one after another, in order, each starting when the
 * previous one has answered, so that tools with state (a sandbox, a bank account) see them in the order the
 * agent wrote them and an episode replays exactly. {@link Builder#concurrent()} starts them all at once, for
 * tools without shared state. Either way the tool messages and outcomes come back in call order.
 *
 * <p>Never blocks the caller: {@link #dispatch} returns at once (after running any inline {@link
 * Tool#of(ToolSpec, Tool.Body) synchronous} tool), and the stage completes on whatever thread the last tool
 * or timer answers on. Never fails: every problem is a value in the {@link ToolDispatch}. Immutable and
 * thread-safe; whether a dispatcher may be shared between episodes depends on its tools (a stateful
 * sandbox's tools belong to one episode).
 */
public final class ToolDispatcher {
  /** The signals a dispatcher publishes; list them in the environment provider's {@code signals()}. */
  public static final Set<SignalKey<?>> SIGNALS = Set.of(StandardSignals.TOOL_CALL_VALID, StandardSignals.TOOL_ERROR);

  private final Map<String, Tool> tools;
  private final List<ToolSpec> specs;
  private final ToolCallParser text;
  private final boolean concurrent;
  private final ToolCallValidator validator;

  private ToolDispatcher(Builder b) {
    this.tools = Map.copyOf(b.tools);
    this.specs = b.tools.values().stream().map(Tool::spec).toList();
    this.text = b.text;
    this.concurrent = b.concurrent;
    this.validator = b.validator;
  }

  /** A dispatcher for {@code tools} that reads native and hermes text calls and runs them in order. */
  public static ToolDispatcher of(Tool... tools) {
    return builder().tools(List.of(tools)).build();
  }

  /** A dispatcher for {@code tools} that reads native and hermes text calls and runs them in order. */
  public static ToolDispatcher of(Collection<? extends Tool> tools) {
    return builder().tools(tools).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The tools' specs in the order they were added, for {@link dev.ludus.api.Reset#tools()}. */
  public List<ToolSpec> specs() {
    return specs;
  }

  /** The tool called {@code name}, if there is one. */
  public Optional<Tool> tool(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** The text format calls are read in, or empty when only native calls are read. */
  public Optional<ToolCallParser> textFormat() {
    return Optional.ofNullable(text);
  }

  /** Reads, checks and runs the calls of {@code message}; see the class comment. */
  public CompletionStage<ToolDispatch> dispatch(Message message) {
    Objects.requireNonNull(message, "message");
    List<ToolCall> calls;
    if (!message.toolCalls().isEmpty()) {
      calls = message.toolCalls();
    } else if (text == null) {
      return CompletableFuture.completedFuture(ToolDispatch.none());
    } else {
      ParseResult r = text.parse(message.content());
      if (r instanceof ParseResult.NoCalls) {
        return CompletableFuture.completedFuture(ToolDispatch.none());
      }
      if (r instanceof ParseResult.Failure f) {
        ToolError error = new ToolError(ToolError.Kind.MALFORMED_CALL, f.detail());
        Message say = Message.user("Error: your tool call could not be read: " + f.detail() + ". " + hint());
        return CompletableFuture.completedFuture(new ToolDispatch(List.of(say), List.of(), Optional.of(error)));
      }
      calls = ((ParseResult.Calls) r).toolCalls();
    }
    List<CompletableFuture<ToolDispatch.Outcome>> outcomes = new ArrayList<>(calls.size());
    if (concurrent) {
      for (ToolCall call : calls) {
        outcomes.add(run(call));
      }
    } else {
      CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
      for (ToolCall call : calls) {
        CompletableFuture<ToolDispatch.Outcome> next = previous.thenCompose(ignored -> run(call));
        outcomes.add(next);
        previous = next;
      }
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      List<ToolDispatch.Outcome> done = outcomes.stream().map(CompletableFuture::join).toList();
      List<Message> messages = done.stream()
          .map(o -> Message.toolResult(o.call().id(), o.call().name(), o.content()))
          .toList();
      return new ToolDispatch(messages, done, Optional.empty());
    });
  }

  private String hint() {
    return text.format().equals("hermes")
        ? "Write each call as <tool_call>{\"name\": \"...\", \"arguments\": {...}}</tool_call>."
        : "Write a call as {\"name\": \"...\", \"arguments\": {...}}, or an array of them.";
  }

  /** Checks and runs one call; the stage always completes normally. */
  private CompletableFuture<ToolDispatch.Outcome> run(ToolCall call) {
    try {
      ValidationResult checked = validator.validate(call, specs);
      if (!checked.valid()) {
        return CompletableFuture.completedFuture(failed(call, invalid(call.name(), checked)));
      }
      Tool tool = tools.get(call.name());
      ObjectNode arguments = StrictJson.tryParseObject(call.arguments()).orElseThrow();
      return runValid(tool, call, arguments);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(call, new ToolError(ToolError.Kind.TOOL_FAILED,
          "'" + call.name() + "' could not be run: " + e)));
    }
  }

  private static CompletableFuture<ToolDispatch.Outcome> runValid(Tool tool, ToolCall call, ObjectNode arguments) {
    Duration limit = tool.timeLimit();
    CompletableFuture<ToolResult> answer = new CompletableFuture<>();
    answer.orTimeout(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
    CompletionStage<ToolResult> stage;
    try {
      stage = Objects.requireNonNull(tool.call(arguments), "the tool returned a null stage");
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletionStage<ToolResult> running = stage;
    running.whenComplete((r, e) -> {
      if (e != null) {
        answer.completeExceptionally(e);
      } else {
        answer.complete(r);
      }
    });
    return answer.handle((result, e) -> {
      if (e == null) {
        return result == null
            ? failed(call, new ToolError(ToolError.Kind.TOOL_FAILED, "'" + call.name() + "' returned no result"))
            : result instanceof ToolResult.Success s
                ? new ToolDispatch.Outcome(call, s.content(), Optional.empty())
                : failed(call, new ToolError(ToolError.Kind.TOOL_FAILED,
                    "'" + call.name() + "': " + ((ToolResult.Failure) result).message()));
      }
      Throwable cause = unwrap(e);
      if (cause instanceof TimeoutException) {
        if (running instanceof Future<?> f) {
          f.cancel(true);
        }
        return failed(call, new ToolError(ToolError.Kind.TIMEOUT,
            "'" + call.name() + "' did not answer within " + limit.toMillis() + " ms"));
      }
      String what = cause instanceof CancellationException ? "was cancelled"
          : "threw " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      return failed(call, new ToolError(ToolError.Kind.TOOL_FAILED, "'" + call.name() + "' " + what));
    });
  }

  private static ToolError invalid(String name, ValidationResult checked) {
    ValidationResult.Violation first = checked.violations().get(0);
    return switch (first.kind()) {
      case UNKNOWN_TOOL -> new ToolError(ToolError.Kind.UNKNOWN_TOOL, first.message());
      case ARGUMENTS_NOT_OBJECT -> new ToolError(ToolError.Kind.MALFORMED_CALL, first.message());
      case INVALID_SCHEMA -> new ToolError(ToolError.Kind.TOOL_FAILED, first.message());
      case SCHEMA_VIOLATION -> new ToolError(ToolError.Kind.INVALID_ARGUMENTS,
          "the arguments of '" + name + "' break its schema: " + checked.describe());
    };
  }

  private static ToolDispatch.Outcome failed(ToolCall call, ToolError error) {
    return new ToolDispatch.Outcome(call, "Error: " + error.detail(), Optional.of(error));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Builds a {@link ToolDispatcher}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private ToolCallParser text = ToolCallParser.hermes();
    private boolean concurrent;
    private ToolCallValidator validator = ToolCallValidator.shared();

    private Builder() {}

    /**
     * Adds a tool.
     *
     * @throws IllegalArgumentException when a tool of the same name was added
     */
    public Builder tool(Tool tool) {
      Objects.requireNonNull(tool, "tool");
      if (tools.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalArgumentException("two tools are named '" + tool.name() + "'; tool names must be unique");
      }
      return this;
    }

    /** Adds each of {@code tools}, in order. */
    public Builder tools(Collection<? extends Tool> tools) {
      tools.forEach(this::tool);
      return this;
    }

    /** Reads calls written in text in {@code format} when a message has no native calls; hermes by default. */
    public Builder textCalls(ToolCallParser format) {
      this.text = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Reads native {@code tool_calls} only; text is never read as calls. */
    public Builder nativeOnly() {
      this.text = null;
      return this;
    }

    /** Starts all the calls of a message at once instead of one after another (for tools without shared state). */
    public Builder concurrent() {
      this.concurrent = true;
      return this;
    }

    /** The validator to check calls with; a shared one by default. */
    public Builder validator(ToolCallValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    public ToolDispatcher build() {
      return new ToolDispatcher(this);
    }
  }
}
