package dev.ludus.runner.cli;

import java.util.Locale;

/**
 * When a run's command exits 1 (issue 16, finding 6). A {@code rollout} or {@code train} run fails, exit code 1,
 * when it recorded fewer episodes than it was asked for, when no episode completed or was truncated (every one
 * failed), or when the failed share exceeds {@code --max-failure-rate} (default {@value #DEFAULT_MAX_FAILURE_RATE}:
 * more than one episode in twenty); otherwise it exits 0. The run directory and its summary are written either
 * way. Stateless.
 */
final class RunVerdict {
  /** The default {@code --max-failure-rate}. */
  static final double DEFAULT_MAX_FAILURE_RATE = 0.05;

  /** The option's description, shared by the commands. */
  static final String DESCRIPTION = "Exit with code 1 when more than this share of the episodes failed (default: "
      + "${DEFAULT-VALUE}); a run in which every episode failed, or fewer were recorded than asked, exits 1 anyway.";

  private RunVerdict() {}

  /** Refuses a rate outside [0, 1] (bad input, exit code 2). */
  static void check(double maxFailureRate) {
    if (!(maxFailureRate >= 0 && maxFailureRate <= 1)) {
      throw new IllegalArgumentException("--max-failure-rate must be a number in [0, 1], was " + maxFailureRate);
    }
  }

  /**
   * Why the run did not pass, on one line, or null when it did.
   *
   * @param expected episodes the run was asked for
   * @param episodes episodes it recorded
   * @param failed of which failed
   */
  static String failure(long expected, long episodes, long failed, double maxFailureRate) {
    if (episodes < expected) {
      return "only " + episodes + " of the " + expected + " episodes asked for were recorded";
    }
    if (episodes > 0 && failed >= episodes) {
      return "all " + episodes + " episodes failed (see the failure reasons above and in summary.json)";
    }
    double share = episodes == 0 ? 0 : (double) failed / episodes;
    if (share > maxFailureRate) {
      return String.format(Locale.ROOT, "%d of %d episodes failed (%.1f%%), more than --max-failure-rate %s allows",
          failed, episodes, 100 * share, maxFailureRate);
    }
    return null;
  }
}
