package dev.ludus.api.tools;

import java.util.Locale;
import java.util.Objects;

/**
 * Why one tool call did not give a result: the call could not be read or checked, or the tool timed out or
 * failed. Immutable and thread-safe.
 *
 * @param kind what sort of problem
 * @param detail one line saying what was wrong, naming the tool (and, for arguments, the field)
 */
public record ToolError(Kind kind, String detail) {
  public ToolError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** The sorts of error; the first three make the call invalid, the last two happen to valid calls. */
  public enum Kind {
    /** The call names no tool on offer. */
    UNKNOWN_TOOL,
    /** The call cannot be read: malformed JSON, no name, arguments that are not an object. */
    MALFORMED_CALL,
    /** The arguments break the tool's JSON Schema; the detail names the field. */
    INVALID_ARGUMENTS,
    /** The tool did not answer within its time limit. */
    TIMEOUT,
    /** The tool answered with an error, threw, or its own schema is unusable. */
    TOOL_FAILED;

    /** The kebab-case name used in the {@code tool-error} signal, e.g. {@code unknown-tool}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether an error of this kind makes the call itself invalid (as opposed to failing while it ran). */
    public boolean invalidCall() {
      return this == UNKNOWN_TOOL || this == MALFORMED_CALL || this == INVALID_ARGUMENTS;
    }
  }

  /** {@code kind: detail}, as the {@link dev.ludus.api.StandardSignals#TOOL_ERROR} signal carries it. */
  public String reason() {
    return kind.label() + ": " + detail;
  }
}
