package dev.ludus.environments.tools.sandbox;

/**
 * A sandbox refused a call (no such file, insufficient funds, unknown ticket): the tool's own error, which the
 * agent sees as the tool message. The state is left as it was. Not an exception of the environment.
 */
public final class SandboxError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SandboxError(String message) {
    super(message, null, false, false);
  }
}
