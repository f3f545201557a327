package dev.ludus.api.tools;

import java.util.Objects;

/**
 * What one run of a {@link Tool} gave: content for the tool message, or the tool's own error as a value.
 * Immutable and thread-safe.
 */
public sealed interface ToolResult permits ToolResult.Success, ToolResult.Failure {

  /** A result whose {@code content} becomes the tool message. */
  static ToolResult success(String content) {
    return new Success(content);
  }

  /** The tool could not do what was asked; {@code message} says why (the agent sees it). */
  static ToolResult failure(String message) {
    return new Failure(message);
  }

  /**
   * The tool did its work.
   *
   * @param content the text of the tool message (JSON text, a table, prose: whatever the tool answers)
   */
  record Success(String content) implements ToolResult {
    public Success {
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * The tool refused or failed (a missing file, a division by zero, a query error).
   *
   * @param message why, for the agent and the {@code tool-error} signal
   */
  record Failure(String message) implements ToolResult {
    public Failure {
      Objects.requireNonNull(message, "message");
    }
  }
}
