package dev.ludus.simulators.llm;

import dev.ludus.api.FailureKind;
import dev.ludus.api.LudusFailure;

/**
 * A simulated user driven by a language model could not answer: its endpoint failed (after the chat client's own
 * retries), or its structured output stayed malformed after every attempt. The user's stage fails with it, so the
 * episode is recorded as failed with this reason, of kind {@link FailureKind#SIMULATOR} (however the environment
 * wraps it), and the run goes on; it is never a crash. Immutable.
 */
public final class SimulatorFailure extends LudusFailure {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The chat endpoint answered with a failure (HTTP status, timeout, open circuit...). */
    ENDPOINT,
    /** The reply was not the JSON its schema asks for, after every attempt. */
    MALFORMED_OUTPUT,
    /** The user was asked to go on after it ended the conversation, or before it started. */
    LIFE_CYCLE
  }

  private final Kind kind;

  public SimulatorFailure(Kind kind, String message) {
    super(FailureKind.SIMULATOR, "simulator failure (" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "): " + message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
