package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.cluster.ClusterOptions;
import dev.ludus.runner.cluster.RolloutWorker;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus worker --cluster MEMBERS}: a rollout worker that joins the cluster and plays the matches that a
 * coordinator ({@code ludus rollout --cluster}) leases to it, until SIGTERM or Ctrl-C.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Join a Ludus cluster as a rollout worker and play the episodes a coordinator (ludus rollout "
        + "--cluster) leases to it, until stopped.")
public class WorkerCommand implements Callable<Integer> {
  @Mixin ClusterFlags cluster;

  @Option(names = "--concurrency", defaultValue = "64",
      description = "Episodes this worker plays at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--name", paramLabel = "NAME",
      description = "This worker's name in the coordinator's progress line and summary (default: host/pid).")
  String name;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    ClusterOptions options = cluster.options();
    if (options == null) {
      throw new ConfigException("ludus worker needs --cluster MEMBERS (host:port of the cluster's members, e.g. "
          + "127.0.0.1:5701,127.0.0.1:5702)");
    }
    if (concurrency < 1 || concurrency > 1_000_000) {
      throw new IllegalArgumentException("--concurrency must be between 1 and 1000000, was " + concurrency);
    }
    String workerName = name != null ? name : options.host() + "/" + ProcessHandle.current().pid();
    PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    RolloutWorker worker = RolloutWorker.start(options, services.registry(), workerName, concurrency, log);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      worker.close();
      stopped.countDown();
    }, "ludus-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getOut().println("worker " + workerName + " joined cluster '" + options.name() + "' as node "
        + worker.nodeId() + "; waiting for leases (stop with Ctrl-C)");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
