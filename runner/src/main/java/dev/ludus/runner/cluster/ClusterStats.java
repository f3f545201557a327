package dev.ludus.runner.cluster;

import java.util.List;
import java.util.Locale;

/**
 * A coordinator's account of the cluster so far: per worker, and for the run. Immutable; written to
 * {@code summary.json} under {@code cluster}.
 *
 * @param workers every worker that asked for work, in the order they first did
 * @param leases leases handed out
 * @param released matches handed out again because their lease ran past its deadline, its worker left the cluster or
 *     refused the run
 * @param expiredLeases leases that ran past their deadline
 * @param duplicatesDropped finished matches that arrived after another copy was taken (a late worker), dropped
 * @param playedHere matches the coordinator played itself, with no worker to take them (local execution)
 * @param bytesIn event-bus bytes this node decoded (leases asked for, finished episodes)
 * @param bytesOut event-bus bytes this node encoded (leases)
 * @param codecMicros CPU time this node spent in the cluster's codecs, µs
 */
public record ClusterStats(List<WorkerStats> workers, long leases, long released, long expiredLeases,
    long duplicatesDropped, long playedHere, long bytesIn, long bytesOut, long codecMicros) {

  public ClusterStats {
    workers = List.copyOf(workers);
  }

  /**
   * One worker.
   *
   * @param name its name ({@code --name}, by default host/pid)
   * @param node its cluster node id
   * @param episodes matches it finished that were taken (first copies)
   * @param episodesPerSecond those per second since its first lease
   * @param inFlight matches leased to it and not finished now
   * @param leases leases it was given
   * @param duplicates finished matches of its that came late and were dropped
   * @param departed it left the cluster (its unfinished matches were handed out again)
   * @param refused why it refused the run, or null
   */
  public record WorkerStats(String name, String node, long episodes, double episodesPerSecond, int inFlight,
      long leases, long duplicates, boolean departed, String refused) {}

  /** The progress line's part: each worker's episodes/s and matches in flight, then what was handed out again. */
  public String progressLine() {
    StringBuilder sb = new StringBuilder();
    for (WorkerStats w : workers) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(w.name());
      if (w.refused() != null) {
        sb.append(" refused");
      } else if (w.departed()) {
        sb.append(" gone");
      } else {
        sb.append(String.format(Locale.ROOT, " %.1f ep/s %d leased", w.episodesPerSecond(), w.inFlight()));
      }
    }
    if (workers.isEmpty()) {
      sb.append("no worker");
    }
    if (released > 0 || duplicatesDropped > 0) {
      sb.append("; re-leased ").append(released).append(", late copies dropped ").append(duplicatesDropped);
    }
    if (playedHere > 0) {
      sb.append("; played here ").append(playedHere);
    }
    return "workers: " + sb;
  }
}
