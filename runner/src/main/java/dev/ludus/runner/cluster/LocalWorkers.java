package dev.ludus.runner.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Rollout workers in child JVMs on this machine ({@code ludus worker} on this JVM's class path), for the cluster
 * benchmark and tests: start them, wait until they joined, kill one with SIGKILL, read their CPU time. Each writes
 * its output to {@code worker-N.log} in a directory given. Not thread-safe; {@link #close} kills what is left.
 */
public final class LocalWorkers implements AutoCloseable {
  /** What a worker prints once it joined the cluster. */
  private static final String JOINED = "joined cluster";

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  private LocalWorkers() {}

  /**
   * A block of {@code size} consecutive TCP ports free on loopback now, at a random place above 20000 (for the
   * Hazelcast ports of a test cluster: {@code base, base+1, ...}).
   */
  public static int freePortBlock(int size) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(40_000);
      boolean free = true;
      for (int p = base; p < base + size && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("found no block of " + size + " free ports on loopback");
  }

  /**
   * Starts {@code count} workers named {@code worker-1..N}, each playing up to {@code concurrency} matches at once,
   * joining with {@code options} (host, port, members, name, heartbeat, TLS stores; the stores' password comes from
   * this process's environment); {@code jvmArgs} go before the class path.
   */
  public static LocalWorkers start(int count, ClusterOptions options, int concurrency, List<String> jvmArgs,
      Path logDir) {
    return start(count, 1, options, concurrency, jvmArgs, logDir);
  }

  /** As {@link #start(int, ClusterOptions, int, List, Path)}, naming them {@code worker-first..}. */
  public static LocalWorkers start(int count, int first, ClusterOptions options, int concurrency,
      List<String> jvmArgs, Path logDir) {
    LocalWorkers workers = new LocalWorkers();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      Files.createDirectories(logDir);
      for (int i = first; i < first + count; i++) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ludus.runner.cli.Ludus", "worker",
            "--cluster", String.join(",", options.members()), "--cluster-name", options.name(), "--cluster-host",
            options.host(), "--cluster-port", String.valueOf(options.port()), "--cluster-heartbeat-timeout",
            String.valueOf(options.heartbeatTimeoutSeconds()), "--concurrency", String.valueOf(concurrency), "--name",
            "worker-" + i));
        if (options.tls()) {
          cmd.addAll(List.of("--cluster-tls-keystore", options.tlsKeyStore(), "--cluster-tls-truststore",
              options.tlsTrustStore()));
        }
        Path log = logDir.resolve("worker-" + i + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (options.tls() && ClusterOptions.tlsPassword() != null) {
          pb.environment().put(ClusterOptions.TLS_PASSWORD_ENV, ClusterOptions.tlsPassword());
        }
        workers.processes.add(pb.start());
        workers.logs.add(log);
      }
    } catch (IOException e) {
      workers.close();
      throw new UncheckedIOException("cannot start a worker JVM", e);
    }
    return workers;
  }

  /** Waits until every worker said it joined; fails naming the first that did not (or died) within {@code max}. */
  public void awaitJoined(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    for (int i = 0; i < processes.size(); i++) {
      while (!log(i).contains(JOINED)) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException("worker-" + (i + 1) + " ended before it joined:\n" + log(i));
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException("worker-" + (i + 1) + " did not join within " + max + ":\n" + log(i));
        }
        Thread.sleep(50);
      }
    }
  }

  /** What worker {@code i} (0-based) printed so far. */
  public String log(int i) {
    try {
      return Files.readString(logs.get(i), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills worker {@code i} (0-based) with SIGKILL and waits for it to end. */
  public void kill(int i) throws InterruptedException {
    Process p = processes.get(i);
    p.destroyForcibly(); // SIGKILL on Linux and macOS
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** The CPU time worker {@code i} (0-based) used so far (zero where the platform does not tell). */
  public Duration cpu(int i) {
    return processes.get(i).info().totalCpuDuration().orElse(Duration.ZERO);
  }

  public int size() {
    return processes.size();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy(); // SIGTERM: the worker leaves the cluster
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
