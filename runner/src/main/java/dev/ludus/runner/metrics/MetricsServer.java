package dev.ludus.runner.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves a Prometheus registry at {@code GET /metrics} over HTTP, on its own small Vert.x instance (one event
 * loop), bound to the host given (loopback for the CLI's {@code --metrics-port}). Life-cycle: {@link #start},
 * then {@link #close}; thread-safe.
 */
public final class MetricsServer implements AutoCloseable {
  /** Prometheus' text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final HttpServer server;

  private MetricsServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** A new registry in Prometheus' format. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Starts serving {@code registry} on {@code host:port} (0: any free port); waits until it listens.
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static MetricsServer start(PrometheusMeterRegistry registry, String host, int port) {
    Objects.requireNonNull(registry, "registry");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(req -> {
        if (!handle(req, registry)) {
          req.response().setStatusCode(404).end("not found; metrics are at GET /metrics\n");
        }
      }).listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new MetricsServer(vertx, server);
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot serve metrics on " + host + ":" + port + ": " + cause.getMessage(), e);
    }
  }

  /**
   * Answers {@code GET /metrics} with {@code registry}'s scrape and returns true; returns false (answering
   * nothing) for any other request, so a server with other routes can call it first.
   */
  public static boolean handle(HttpServerRequest req, PrometheusMeterRegistry registry) {
    if (req.method() != HttpMethod.GET || !"/metrics".equals(req.path())) {
      return false;
    }
    req.response().putHeader("content-type", CONTENT_TYPE).end(registry.scrape());
    return true;
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the process is ending its run
    }
  }
}
