package dev.ludus.runner.cluster;

import dev.ludus.api.Registry;
import dev.ludus.runner.runtime.MatchPlayer;
import java.io.PrintStream;

/**
 * The coordinator of a rollout on a cluster: joins it, leases the run's matches to the workers that ask for work,
 * takes each match's episodes once (a late copy is dropped and counted), and hands a match out again when its lease
 * runs past its deadline or its worker leaves the cluster or refuses the run. A match it gets while no worker can
 * take one is declined, so the runtime plays it locally. Pass it to
 * {@link dev.ludus.runner.runtime.EpisodeRuntime#run(dev.ludus.runner.runtime.Rollout,
 * dev.ludus.runner.runtime.EpisodeSink, dev.ludus.runner.runtime.EpisodeListener, dev.ludus.runner.runtime.RunControl,
 * MatchPlayer)}: groups, scoring and the store stay the runtime's.
 *
 * <p>Thread-safe. Life-cycle: {@link #start} (blocks while it joins the cluster; never on an event loop), then
 * {@link #close}, which leaves the cluster.
 */
public interface RolloutCoordinator extends MatchPlayer, AutoCloseable {
  /**
   * Joins the cluster and serves leases of the run {@code description} describes.
   *
   * @param leaseTimeoutMillis how long a lease may take before its unfinished matches are handed out again
   * @param log where refusals and departures are reported
   */
  static RolloutCoordinator start(ClusterOptions options, Registry registry, RolloutDescription description,
      long leaseTimeoutMillis, PrintStream log) {
    return Coordinator.start(options, registry, description, leaseTimeoutMillis, log);
  }

  /**
   * Waits (blocking) until {@code workers} workers have asked for work or {@code millis} have passed; returns how
   * many have.
   */
  int awaitWorkers(int workers, long millis) throws InterruptedException;

  /**
   * Serves leases of {@code next} from now on (a trainer's next iteration: the same coordinator, a new run id and
   * policy); call it between runs. Finished matches of an earlier run that arrive late are dropped and counted.
   */
  void describe(RolloutDescription next);

  /** The account so far (waits for the coordinator's event loop: not on an event loop). */
  ClusterStats stats();

  /** Each worker's episodes/s and matches in flight, for a progress line; any thread, never blocks. */
  String progressLine();

  @Override
  void close();
}
