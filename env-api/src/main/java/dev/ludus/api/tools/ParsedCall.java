package dev.ludus.api.tools;

import dev.ludus.api.ToolCall;
import java.util.Objects;

/**
 * One function call read from text. Immutable and thread-safe.
 *
 * <p>{@code arguments} is canonical JSON text: a JSON object written compactly, with the members of every
 * object sorted by key, strings re-escaped the standard way, and numbers kept exactly as the model wrote
 * them (no rounding through {@code double}, {@code 2.5E14} stays a float, {@code 1.50} stays {@code 1.50}).
 * Two calls with the same arguments therefore have equal {@code arguments} strings whatever member order
 * or spacing the model used; only numbers written differently ({@code 1.0} and {@code 1}) stay different.
 *
 * @param name the function name (not blank)
 * @param arguments the arguments object as canonical JSON text ({@code {}} when the call gave none)
 * @param start the first {@code char} of the source region the call was read from: the whole {@code
 *     <tool_call>...</tool_call>} block (hermes) or the JSON value or code fence (json); several calls
 *     read from one block share its span
 * @param end one past the last {@code char} of that region
 */
public record ParsedCall(String name, String arguments, int start, int end) {
  public ParsedCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("span must satisfy 0 <= start <= end, was [" + start + ", " + end + ")");
    }
  }

  /** This call as an env-api {@link ToolCall} with the given id. */
  public ToolCall toToolCall(String id) {
    return ToolCall.of(id, name, arguments);
  }
}
