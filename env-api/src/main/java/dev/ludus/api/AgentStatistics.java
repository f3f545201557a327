package dev.ludus.api;

/**
 * An optional ability of an {@link Agent}: statistics for the run summary (requests, retries, cache hits
 * and misses, replies without token ids). The runner records them in the run's {@code summary.json}.
 * Implementations are thread-safe; the record is a snapshot.
 */
public interface AgentStatistics {
  /** A snapshot of the statistics, as a record that Jackson can write. */
  Record statistics();
}
