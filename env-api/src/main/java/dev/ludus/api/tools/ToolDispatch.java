package dev.ludus.api.tools;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ToolDispatcher#dispatch} made of one assistant message: the messages to show the agent, the
 * outcome of each call, and the standard signals. Immutable and thread-safe.
 *
 * <p>Three cases: the message calls no tool ({@link #called()} is false: it is the agent's answer, and
 * {@link #messages()} is empty); its calls were read and run (one {@code role: tool} message per call, in
 * call order, with the call's id); or it tries to call in text and the text cannot be read ({@link
 * #unreadable()}: one {@code user} message saying what was wrong, since there is no call id to answer).
 *
 * @param messages what the agent sees next, in call order
 * @param outcomes one per call, in call order (empty when the message called nothing or was unreadable)
 * @param unreadable why the text calls could not be read, when they could not
 */
public record ToolDispatch(List<Message> messages, List<Outcome> outcomes, Optional<ToolError> unreadable) {
  public ToolDispatch {
    messages = List.copyOf(messages);
    outcomes = List.copyOf(outcomes);
    Objects.requireNonNull(unreadable, "unreadable");
  }

  /**
   * One call and what came of it.
   *
   * @param call the call (for text calls, with the id {@code call_0}, {@code call_1}, ... in text order)
   * @param content the tool message's text: the tool's answer, or {@code Error: ...} when there is an error
   * @param error why the call gave no result, if it did not
   */
  public record Outcome(ToolCall call, String content, Optional<ToolError> error) {
    public Outcome {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(error, "error");
    }

    /** Whether the tool ran and answered. */
    public boolean succeeded() {
      return error.isEmpty();
    }
  }

  /** Nothing was called. */
  static ToolDispatch none() {
    return new ToolDispatch(List.of(), List.of(), Optional.empty());
  }

  /** Whether the message called (or tried to call) a tool. */
  public boolean called() {
    return !outcomes.isEmpty() || unreadable.isPresent();
  }

  /** Whether every call could be read, named an offered tool and passed its schema; true when nothing was called. */
  public boolean valid() {
    return unreadable.isEmpty()
        && outcomes.stream().allMatch(o -> o.error().map(e -> !e.kind().invalidCall()).orElse(true));
  }

  /** Every error, in call order (the unreadable text's first). */
  public List<ToolError> errors() {
    List<ToolError> out = new ArrayList<>();
    unreadable.ifPresent(out::add);
    outcomes.forEach(o -> o.error().ifPresent(out::add));
    return List.copyOf(out);
  }

  /**
   * The standard signals of this step: {@link StandardSignals#TOOL_CALL_VALID} when something was called,
   * and {@link StandardSignals#TOOL_ERROR} (each error's {@link ToolError#reason()}, joined by {@code "; "})
   * when something failed. Empty when nothing was called.
   */
  public Signals signals() {
    if (!called()) {
      return Signals.empty();
    }
    Signals.Builder b = Signals.builder().put(StandardSignals.TOOL_CALL_VALID, valid());
    List<ToolError> errors = errors();
    if (!errors.isEmpty()) {
      b.put(StandardSignals.TOOL_ERROR, String.join("; ", errors.stream().map(ToolError::reason).toList()));
    }
    return b.build();
  }
}
