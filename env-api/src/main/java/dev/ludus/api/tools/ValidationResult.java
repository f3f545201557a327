package dev.ludus.api.tools;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ToolCallValidator} found wrong with one call: nothing ({@link #valid()}), or a list of
 * violations. Immutable and thread-safe.
 *
 * <pre>{@code
 * ValidationResult r = validator.validate(call, tools);
 * for (ValidationResult.Violation v : r.violations()) {
 *   // SCHEMA_VIOLATION at "/city" (type): integer found, string expected
 *   System.out.println(v.kind() + " at \"" + v.path() + "\" (" + v.keyword() + "): " + v.message());
 * }
 * }</pre>
 *
 * @param toolName the name the call used
 * @param violations what is wrong, ordered by path, then keyword, then message; empty when the call is valid
 */
public record ValidationResult(String toolName, List<Violation> violations) {
  public ValidationResult {
    Objects.requireNonNull(toolName, "toolName");
    violations = List.copyOf(violations);
  }

  /** Whether the call names a known tool and its arguments satisfy that tool's schema. */
  public boolean valid() {
    return violations.isEmpty();
  }

  /**
   * The violations in one line, each as {@code at PATH: message} (or just the message for the arguments
   * object itself), joined by {@code "; "}, e.g. {@code at /city: integer found, string expected; required
   * property 'unit' not found}; empty when valid.
   */
  public String describe() {
    return String.join("; ", violations.stream()
        .map(v -> v.path().isEmpty() ? v.message() : "at " + v.path() + ": " + v.message())
        .toList());
  }

  /**
   * One problem.
   *
   * @param kind what sort of problem
   * @param path a JSON Pointer (RFC 6901) into the arguments object to the offending value; {@code ""} is
   *     the arguments object itself (where, for instance, a missing required property is reported)
   * @param keyword the JSON Schema keyword that failed ({@code required}, {@code type}, ...) for a {@link
   *     Kind#SCHEMA_VIOLATION}; {@code ""} otherwise
   * @param message a one-line, human-readable explanation (English)
   */
  public record Violation(Kind kind, String path, String keyword, String message) {
    public Violation {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(keyword, "keyword");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The sorts of violation. */
  public enum Kind {
    /** No tool of that name is offered; the message lists the known names. */
    UNKNOWN_TOOL,
    /** The arguments text is not a JSON object (possible for structured calls, never for parsed ones). */
    ARGUMENTS_NOT_OBJECT,
    /** The arguments break the tool's JSON Schema at {@link Violation#path()}. */
    SCHEMA_VIOLATION,
    /**
     * The tool's own schema is not usable (not JSON, or refers to a schema that may not be loaded): the
     * environment's fault, not the agent's, but reported the same way rather than thrown.
     */
    INVALID_SCHEMA
  }
}
