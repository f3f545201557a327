package dev.ludus.runner.cluster;

import dev.ludus.api.Episode;
import java.util.List;

/** The records that cross the event bus between a coordinator and its workers, and their addresses. */
final class Messages {
  private Messages() {}

  /** Workers ask the coordinator for work here (request and reply). */
  static final String LEASES = "ludus.cluster.leases";
  /** Workers send finished matches here. */
  static final String RESULTS = "ludus.cluster.results";
  /** Workers that cannot build a run say so here. */
  static final String REFUSALS = "ludus.cluster.refusals";

  /** A worker with {@code slots} free asks for work; {@code node} is its cluster node id. */
  record LeaseRequest(String node, String worker, int slots) {}

  /** One match of a lease: its index, the task it plays, its seed and its group. */
  record LeaseItem(long index, long task, long seed, long group) {}

  /**
   * The coordinator's answer: matches to play by {@code deadlineMillis} (epoch ms), none (nothing to do now: ask
   * again), or a refusal ({@code refused} says why this worker gets no work).
   */
  record Lease(long id, String refused, RolloutDescription description, List<LeaseItem> items, long deadlineMillis) {
    static Lease none() {
      return new Lease(0, null, null, List.of(), 0);
    }

    static Lease refusedBecause(String reason) {
      return new Lease(0, reason, null, List.of(), 0);
    }
  }

  /** A finished match of lease {@code lease}: its episodes, one per seat, not scored. */
  record EpisodeResult(String node, long lease, long index, List<Episode> episodes) {}

  /** A worker cannot play the run of lease {@code lease}: {@code reason} names what it lacks. */
  record Refusal(String node, long lease, String runId, String reason) {}
}
