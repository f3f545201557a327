package dev.ludus.api;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An error that knows where it happened: the {@link FailureKind} of the part of the system that raised it (a
 * simulated user, a tool, the transport to a model server...). The runtime fails an episode of the kind the error
 * carries, found anywhere in the cause chain ({@link #kindOf}), and otherwise of the kind of the stage that failed
 * (reset and step: environment; act: agent). Subclass it, or throw it with a kind, where a failure starts.
 * Immutable.
 */
public class LudusFailure extends LudusException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public LudusFailure(FailureKind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public LudusFailure(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Where the failure happened. */
  public FailureKind failureKind() {
    return kind;
  }

  /**
   * The kind of the outermost {@code LudusFailure} in {@code error}'s cause chain ({@code error} itself included), or
   * empty when none is there: a dialogue environment whose step failed because its simulated user did carries the
   * user's {@link FailureKind#SIMULATOR} kind, whatever wraps it.
   */
  public static Optional<FailureKind> kindOf(Throwable error) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof LudusFailure f) {
        return Optional.of(f.failureKind());
      }
    }
    return Optional.empty();
  }

  /** The kind {@code error} carries ({@link #kindOf}), or {@code otherwise} when it carries none. */
  public static FailureKind kindOf(Throwable error, FailureKind otherwise) {
    return kindOf(error).orElse(otherwise);
  }
}
