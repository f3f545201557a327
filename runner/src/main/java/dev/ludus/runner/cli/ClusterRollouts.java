package dev.ludus.runner.cli;

import dev.ludus.api.Registry;
import dev.ludus.runner.cluster.RolloutCoordinator;
import dev.ludus.runner.cluster.RolloutDescription;
import java.io.PrintStream;

/** Starts a rollout's coordinator on a cluster and waits for its workers, saying what it found. */
final class ClusterRollouts {
  private ClusterRollouts() {}

  static RolloutCoordinator coordinate(RolloutJob.ClusterRun cluster, Registry registry,
      RolloutDescription description, PrintStream err) throws InterruptedException {
    RolloutCoordinator coordinator = RolloutCoordinator.start(cluster.options(), registry, description,
        cluster.leaseTimeoutMillis(), err);
    try {
      int workers = coordinator.awaitWorkers(cluster.workers(), cluster.waitMillis());
      if (workers == 0) {
        err.println("ludus rollout: no worker joined cluster '" + cluster.options().name() + "' within "
            + cluster.waitMillis() + " ms: the episodes play here (local execution); a worker that joins later takes "
            + "a share");
      } else {
        err.println("ludus rollout: " + workers + " worker(s) in cluster '" + cluster.options().name() + "'");
      }
      return coordinator;
    } catch (InterruptedException | RuntimeException e) {
      coordinator.close();
      throw e;
    }
  }
}
