package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.metrics.RunMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;

/** {@code --metrics-port}: a run's {@link RunMetrics} served on loopback while the command runs. */
record LiveMetrics(RunMetrics metrics, MetricsServer server) implements AutoCloseable {
  /** The metrics served on {@code 127.0.0.1:port}, or null when {@code port} is null. */
  static LiveMetrics start(Integer port, String env, PrintWriter out) {
    if (port == null) {
      return null;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--metrics-port must be 0 to 65535, was " + port);
    }
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    RunMetrics metrics = new RunMetrics(registry, env == null ? "default" : env);
    MetricsServer server = MetricsServer.start(registry, "127.0.0.1", port);
    out.println("metrics: http://127.0.0.1:" + server.port() + "/metrics");
    out.flush();
    return new LiveMetrics(metrics, server);
  }

  @Override
  public void close() {
    server.close();
  }
}
