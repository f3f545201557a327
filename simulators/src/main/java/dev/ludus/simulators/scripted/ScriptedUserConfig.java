package dev.ludus.simulators.scripted;

/**
 * How the scripted user speaks. Immutable; validated on construction.
 *
 * @param closing what the user says when the last turn is done (default {@code "Thanks, that's all I needed."})
 * @param strict whether a question must name a held-back detail (one of its keywords) to get it (default
 *     true); when false, any question gets the turn's next held-back detail
 */
public record ScriptedUserConfig(String closing, boolean strict) {
  public ScriptedUserConfig {
    closing = closing == null ? DEFAULT_CLOSING : closing;
    if (closing.isBlank()) {
      throw new IllegalArgumentException("closing must not be blank");
    }
  }

  static final String DEFAULT_CLOSING = "Thanks, that's all I needed.";

  public static ScriptedUserConfig defaults() {
    return new ScriptedUserConfig(DEFAULT_CLOSING, true);
  }
}
