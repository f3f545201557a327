package dev.ludus.api.chat;

import java.util.Objects;

/**
 * Whether and which tool the model must call ({@code tool_choice}); sent only when a request offers tools.
 * Immutable and thread-safe.
 *
 * @param mode {@code auto}, {@code none}, {@code required}, or {@code function} for one named tool
 * @param function the tool to call when {@code mode} is {@link Mode#FUNCTION}, else null
 */
public record ToolChoice(Mode mode, String function) {
  /** The model decides. */
  public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  /** The model must not call a tool. */
  public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  /** The model must call some tool. */
  public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  /** What the model may do with the tools. */
  public enum Mode {
    AUTO,
    NONE,
    REQUIRED,
    FUNCTION
  }

  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.FUNCTION && (function == null || function.isBlank())) {
      throw new IllegalArgumentException("tool choice: mode function needs the name of the tool to call");
    }
    if (mode != Mode.FUNCTION && function != null) {
      throw new IllegalArgumentException("tool choice: only mode function names a tool, not " + mode);
    }
  }

  /** The model must call {@code name}. */
  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, name);
  }

  /** {@code auto}, {@code none} or {@code required}, as the wire and the agents' configs spell them. */
  public static ToolChoice of(String mode) {
    return switch (mode == null ? "" : mode) {
      case "auto" -> AUTO;
      case "none" -> NONE;
      case "required" -> REQUIRED;
      default -> throw new IllegalArgumentException(
          "tool choice cannot be '" + mode + "'; it takes auto, none or required (or ToolChoice.function(name))");
    };
  }
}
