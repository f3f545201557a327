package dev.ludus.runner.cluster;

import dev.ludus.api.Registry;
import java.io.PrintStream;

/**
 * A rollout worker: joins the cluster, asks the coordinator for leases while it has free slots, builds each run it
 * is leased from the run's description through its own registry (and refuses the run, saying what it lacks, when it
 * cannot), plays the leased matches on an episode runtime of its own and sends each finished match back. It serves
 * one run after another for as long as it lives.
 *
 * <p>Thread-safe. Life-cycle: {@link #start} (blocks while it joins; never on an event loop), then {@link #close},
 * which leaves the cluster (its unfinished matches are handed out again).
 */
public interface RolloutWorker extends AutoCloseable {
  /**
   * Joins the cluster as a worker named {@code name} that plays up to {@code concurrency} matches at once.
   *
   * @param log where the runs it serves and refuses are reported
   */
  static RolloutWorker start(ClusterOptions options, Registry registry, String name, int concurrency,
      PrintStream log) {
    return Worker.start(options, registry, name, concurrency, log);
  }

  /** This worker's cluster node id. */
  String nodeId();

  /** Matches this worker finished and sent. */
  long played();

  @Override
  void close();
}
