package dev.ludus.runner.runtime;

import java.util.List;

/**
 * A rollout's metrics summary, written to the run directory as {@code summary.json}.
 *
 * @param episodes episodes played
 * @param completed episodes whose task ended
 * @param truncated episodes cut by a turn limit
 * @param failed episodes that failed (see {@code failures})
 * @param successRate successful episodes over all episodes
 * @param meanReturn mean undiscounted environment return over the episodes that did not fail
 * @param turns turns played in all
 * @param wallSeconds the rollout's wall time
 * @param turnsPerSecond turns over wall time
 * @param failures the {@value #TOP_FAILURES} most frequent failure kinds ({@link dev.ludus.api.FailureKind#label()},
 *     and {@code sink} for episodes the sink could not take), each with a count and an example reason, then, when
 *     there are more kinds, one entry of kind {@value #OTHER_FAILURES} counting all the others (its example says how many kinds and shows the most frequent), so that the counts add up
 *     to the failures
 * @param blockedThreadWarnings how often the blocked-thread checker saw an event loop held too long
 * @param meanShapedReturn mean over the episodes that did not fail of the sum of their ledger values (the
 *     shaped return the learner sees)
 * @param rewardComponents for each ledger component ({@code shaper} or {@code shaper/component}), its mean
 *     raw sum per episode that did not fail
 * @param seats in a multi-agent environment, each seat's own figures, in the seats' order; empty otherwise (the
 *     other figures count every seat's episodes)
 * @param scoreFailures for each ledger component that a shaper could not always score (a judge whose answers
 *     stayed malformed), how many turns it failed on, over the episodes that did not fail; such turns are left
 *     out of {@code rewardComponents}, never counted as zero
 * @param llm the requests and tokens of each named chat client of the run's {@code llm:} section (judges,
 *     simulated users), by name; empty when the run named none
 */
public record RunSummary(
    long episodes,
    long completed,
    long truncated,
    long failed,
    double successRate,
    double meanReturn,
    long turns,
    double wallSeconds,
    double turnsPerSecond,
    List<FailureCount> failures,
    long blockedThreadWarnings,
    double meanShapedReturn,
    java.util.Map<String, Double> rewardComponents,
    java.util.Map<String, SeatSummary> seats,
    java.util.Map<String, Long> scoreFailures,
    java.util.Map<String, dev.ludus.api.chat.ChatUsage> llm) {

  /** How many failure kinds {@link #failures} lists by name. */
  public static final int TOP_FAILURES = 5;

  /** The kind of the entry of {@link #failures} that counts every kind not listed by name. */
  public static final String OTHER_FAILURES = "other";

  /** A kind of failure, how often it happened and one full reason. */
  public record FailureCount(String kind, long count, String example) {}

  /**
   * One seat's figures over the run's matches.
   *
   * @param agent the name of the agent that played the seat
   * @param episodes the seat's episodes (one per match)
   * @param failed of which failed
   * @param successRate successful episodes of the seat over all of its episodes
   * @param meanReturn the seat's mean environment return over its episodes that did not fail
   */
  public record SeatSummary(String agent, long episodes, long failed, double successRate, double meanReturn) {}

  /** A one-line human summary. */
  public String oneLine() {
    return String.format(java.util.Locale.ROOT,
        "%d episodes: %d completed, %d truncated, %d failed; success %.3f, mean return %.3f, %d turns in %.2f s"
            + " (%.0f turns/s)",
        episodes, completed, truncated, failed, successRate, meanReturn, turns, wallSeconds, turnsPerSecond);
  }
}
