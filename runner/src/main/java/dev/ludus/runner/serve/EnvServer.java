package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.serve.WireError.Code;
import dev.ludus.shaping.ShapingPipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Ludus environment served over OpenEnv's protocol ({@code ludus serve-env}): {@code WS /ws} with
 * {@code reset}/{@code step}/{@code state}/{@code close}, {@code GET /health}, {@code /schema}, {@code /metadata},
 * {@code /state}, the stateless {@code POST /reset} and {@code /step}, OpenRLHF's remote reward
 * {@code POST /get_reward}, and Prometheus' {@code GET /metrics}.
 *
 * <p>Design: one HTTP server per event loop (verticle instances sharing the port), so connections spread over the
 * loops; each WebSocket is a {@link WsSession} on its connection's loop, holding one of {@code maxSessions} slots
 * from accept to its end. One reaper timer ends sessions idle for longer than the idle timeout; each session pings
 * its peer and drops one that stopped answering. With a token every route but {@code /health} needs
 * {@code Authorization: Bearer TOKEN}; a WebSocket handshake without it is refused with 401.
 *
 * <p>Life-cycle: {@link #start} (waits until it listens), then {@link #close}. Thread-safe.
 */
public final class EnvServer implements AutoCloseable {
  private final Vertx vertx;
  private final Served served;
  private final ShapingPipeline rewardPipeline;
  private final PrometheusMeterRegistry registry;
  private final ServeMetrics metrics;
  private final Slots slots;
  private final ObjectNode schema;
  private final ObjectNode metadata;
  private final AtomicLong sessionIds = new AtomicLong();
  private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile int port;
  private long reaper = -1;

  private EnvServer(Vertx vertx, BoundEnvironment env, ShapingPipeline shaping, ShapingPipeline rewardPipeline,
      ServeOptions options, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.served = new Served(env, shaping, options);
    this.rewardPipeline = rewardPipeline;
    this.registry = registry;
    this.slots = new Slots(options.maxSessions());
    this.metrics = new ServeMetrics(registry, env.name(), slots.active, options.maxSessions());
    this.schema = Schemas.of(served);
    this.metadata = Json.JSON.createObjectNode();
    metadata.put("name", env.name());
    metadata.put("description", "Ludus environment '" + env.name() + "'" + (env.multiAgent() ? " (seats: "
        + String.join(", ", env.seats()) + ")" : "") + (shaping != null ? ", with shaped rewards" : "")
        + ", served over OpenEnv's protocol by ludus serve-env");
    metadata.putNull("readme_content");
    metadata.put("version", "0.1.0");
    metadata.put("author", "Ludus");
    metadata.putNull("documentation_url");
  }

  /**
   * Starts serving {@code env} on {@code vertx}, and waits until it listens.
   *
   * @param env the environment (bound to the run's plugin context)
   * @param shaping the pipeline whose shaped rewards the observations carry, or null for the environment's reward
   * @param rewardPipeline the pipeline {@code /get_reward} runs (the shaping, or the environment's own reward)
   * @param registry where the server's meters go; served at {@code /metrics}
   * @throws IllegalStateException when the port cannot be bound
   */
  public static EnvServer start(Vertx vertx, BoundEnvironment env, ShapingPipeline shaping,
      ShapingPipeline rewardPipeline, ServeOptions options, PrometheusMeterRegistry registry) {
    EnvServer server = new EnvServer(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(env, "env"),
        shaping, Objects.requireNonNull(rewardPipeline, "rewardPipeline"), Objects.requireNonNull(options, "options"),
        Objects.requireNonNull(registry, "registry"));
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    try {
      // one server per event loop, sharing one port (Vert.x shares a port between instances that name it; port 0
      // would give each its own, so a free one is chosen first)
      int listen = options.port() != 0 ? options.port() : freePort(options.host());
      server.deployments.add(vertx.deployVerticle(() -> server.new Listener(listen),
          new DeploymentOptions().setInstances(loops)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      server.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
          + cause.getMessage(), e);
    }
    long every = Math.max(50, Math.min(options.idleTimeoutMillis() / 4, 5_000));
    server.reaper = vertx.setPeriodic(every, t -> server.reap());
    return server;
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return probe.getLocalPort();
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** WebSocket sessions holding a slot now. */
  public int activeSessions() {
    return slots.active.get();
  }

  /** Sessions ever given a slot. */
  public long sessionsOpened() {
    return slots.opened.get();
  }

  /** Sessions closed so far, by reason: clean, disconnected, unresponsive, idle, timeout, error, too_big, .... */
  public java.util.Map<String, Long> closedSessions() {
    return metrics.closedByReason();
  }

  Served served() {
    return served;
  }

  Slots slots() {
    return slots;
  }

  ServeMetrics metrics() {
    return metrics;
  }

  /** The step latency at quantile {@code q} (0.5 or 0.99), in milliseconds, over the last minute or so. */
  public double stepLatencyMillis(double q) {
    io.micrometer.core.instrument.distribution.HistogramSnapshot s = metrics.stepLatency().takeSnapshot();
    for (io.micrometer.core.instrument.distribution.ValueAtPercentile v : s.percentileValues()) {
      if (Math.abs(v.percentile() - q) < 1e-9) {
        return v.value(TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }

  private void reap() {
    long idle = served.options.idleTimeoutMillis() * 1_000_000L;
    long now = System.nanoTime();
    for (WsSession s : slots.holders.keySet()) {
      if (now - s.lastMessageNanos > idle) {
        s.endFromElsewhere("idle");
      }
    }
  }

  @Override
  public void close() {
    if (reaper >= 0) {
      vertx.cancelTimer(reaper);
    }
    for (WsSession s : slots.holders.keySet()) {
      s.endFromElsewhere("server_closed");
    }
    for (String id : deployments) {
      try {
        vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** The slots: who holds one; acquiring and releasing are idempotent per session. */
  static final class Slots {
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong opened = new AtomicLong();
    final ConcurrentHashMap<WsSession, Boolean> holders = new ConcurrentHashMap<>();
    private final int max;

    Slots(int max) {
      this.max = max;
    }

    boolean tryAcquire(WsSession s) {
      while (true) {
        int n = active.get();
        if (n >= max) {
          return false;
        }
        if (active.compareAndSet(n, n + 1)) {
          holders.put(s, Boolean.TRUE);
          opened.incrementAndGet();
          return true;
        }
      }
    }

    /** Takes a slot for a stateless request, if one is free. */
    boolean tryAcquire() {
      while (true) {
        int n = active.get();
        if (n >= max) {
          return false;
        }
        if (active.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release(WsSession s) {
      if (holders.remove(s) != null) {
        active.decrementAndGet();
      }
    }

    void release() {
      active.decrementAndGet();
    }

    int active() {
      return active.get();
    }

    int max() {
      return max;
    }
  }

  /** One event loop's HTTP server. */
  private final class Listener extends AbstractVerticle {
    private final int listenPort;

    Listener(int listenPort) {
      this.listenPort = listenPort;
    }

    @Override
    public void start(Promise<Void> started) {
      ServeOptions o = served.options;
      HttpServerOptions options = new HttpServerOptions()
          .setMaxWebSocketMessageSize(o.maxMessageBytes())
          .setMaxWebSocketFrameSize(Math.min(o.maxMessageBytes(), 65_536))
          .setWebSocketClosingTimeout(5);
      HttpServer http = vertx.createHttpServer(options)
          .webSocketHandshakeHandler(this::handshake)
          .webSocketHandler(ws -> new WsSession(EnvServer.this, ws, context,
              "s" + sessionIds.incrementAndGet()).start())
          .requestHandler(this::request);
      http.listen(listenPort, o.host()).onComplete(ar -> {
        if (ar.failed()) {
          started.fail(ar.cause());
          return;
        }
        int actual = ar.result().actualPort();
        synchronized (EnvServer.this) {
          if (port == 0) {
            port = actual;
          } else if (port != actual) {
            started.fail(new IllegalStateException("event-loop servers bound different ports: " + port + " and "
                + actual));
            return;
          }
        }
        started.complete();
      });
    }

    private void handshake(ServerWebSocketHandshake h) {
      if (!"/ws".equals(h.path())) {
        h.reject(404);
      } else if (!authorized(h.headers().get("Authorization"))) {
        h.reject(401);
      } else {
        h.accept();
      }
    }

    private void request(HttpServerRequest req) {
      String path = req.path();
      if (!path.equals("/health") && !authorized(req.getHeader("Authorization"))) {
        json(req, 401, detail("missing or wrong bearer token: send 'Authorization: Bearer TOKEN' (the server's "
            + "--token)"));
        return;
      }
      if (req.method() == HttpMethod.GET) {
        switch (path) {
          case "/health" -> json(req, 200, Json.JSON.createObjectNode().put("status", "healthy"));
          case "/schema" -> json(req, 200, schema);
          case "/metadata" -> json(req, 200, metadata);
          case "/metrics" -> MetricsServer.handle(req, registry);
          case "/state" -> stateless(req, null, "state");
          default -> notFound(req);
        }
        return;
      }
      if (req.method() == HttpMethod.POST && Set.of("/reset", "/step", "/get_reward").contains(path)) {
        body(req).onSuccess(body -> {
          if (body == null) {
            return; // answered already
          }
          JsonNode json;
          try {
            json = body.length() == 0 ? Json.JSON.createObjectNode() : Json.JSON.readTree(body.toString());
          } catch (java.io.IOException e) {
            json(req, 422, validation(List.of("body"), "the body is not valid JSON", "json_invalid"));
            return;
          }
          if (path.equals("/get_reward")) {
            RewardEndpoint.handle(req, json, served, rewardPipeline, context);
          } else {
            stateless(req, json, path.substring(1));
          }
        });
        return;
      }
      if (Set.of("/health", "/schema", "/metadata", "/metrics", "/state", "/reset", "/step", "/get_reward", "/ws")
          .contains(path)) {
        json(req, 405, detail("Method Not Allowed"));
        return;
      }
      notFound(req);
    }

    /** The whole body, or null after answering 413 when it is larger than the limit. */
    private Future<Buffer> body(HttpServerRequest req) {
      int max = served.options.maxMessageBytes();
      String length = req.getHeader("Content-Length");
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) > max) {
            tooLarge(req, max);
            return Future.succeededFuture(null);
          }
        } catch (NumberFormatException e) {
          json(req, 400, detail("bad Content-Length"));
          return Future.succeededFuture(null);
        }
      }
      Promise<Buffer> p = Promise.promise();
      Buffer acc = Buffer.buffer();
      boolean[] over = new boolean[1];
      req.handler(chunk -> {
        if (over[0]) {
          return;
        }
        if (acc.length() + chunk.length() > max) {
          over[0] = true;
          tooLarge(req, max);
          p.tryComplete(null);
          return;
        }
        acc.appendBuffer(chunk);
      });
      req.endHandler(v -> p.tryComplete(over[0] ? null : acc));
      req.exceptionHandler(e -> p.tryComplete(null));
      return p.future();
    }

    private void tooLarge(HttpServerRequest req, int max) {
      req.response().setStatusCode(413).putHeader("content-type", "application/json").putHeader("connection", "close")
          .end(detail("the body is larger than " + max + " bytes (--max-message-bytes)").toString());
    }

    /**
     * OpenEnv's stateless forms: a fresh instance per request, closed after it. {@code /reset} resets it with the
     * body's fields; {@code /step} resets it with the body's reset fields and applies the body's {@code action};
     * {@code /state} shows a fresh instance's state.
     */
    private void stateless(HttpServerRequest req, JsonNode body, String what) {
      if (!slots.tryAcquire()) {
        json(req, 503, detail("the server is full (" + slots.active() + " of " + slots.max() + " sessions); "
            + "CAPACITY_REACHED"));
        return;
      }
      ServedEpisode ep;
      try {
        ep = new ServedEpisode(served, context, "http" + sessionIds.incrementAndGet());
      } catch (WireError e) {
        slots.release();
        json(req, 500, detail(e.getMessage()));
        return;
      }
      Future<ObjectNode> out;
      try {
        if (what.equals("state")) {
          out = Future.succeededFuture(ep.state());
        } else if (what.equals("reset")) {
          out = ep.reset(body);
        } else {
          if (body == null || !body.isObject() || !body.has("action")) {
            throw WireError.invalid("the body needs 'action': {\"action\": {\"message\": \"...\"}}",
                List.of("body", "action"), "missing");
          }
          ObjectNode resetFields = ((ObjectNode) body).deepCopy();
          resetFields.remove(List.of("action", "timeout_s", "request_id"));
          long t0 = System.nanoTime();
          out = ep.reset(resetFields).compose(r -> ep.step(body.get("action")))
              .onSuccess(r -> metrics.step(System.nanoTime() - t0));
        }
      } catch (WireError e) {
        out = Future.failedFuture(e);
      }
      WsSession.Deadline.within(vertx, out, served.options.messageTimeoutMillis()).onComplete(ar -> {
        ep.close();
        slots.release();
        if (ar.succeeded()) {
          json(req, 200, ar.result());
        } else if (ar.cause() instanceof WireError e && e.code == Code.VALIDATION_ERROR) {
          ObjectNode d = Json.JSON.createObjectNode();
          d.set("detail", Json.JSON.valueToTree(e.errors));
          json(req, 422, d);
        } else {
          json(req, 500, detail(ar.cause() instanceof WireError e ? e.getMessage()
              : ServedEpisode.describe(ar.cause())));
        }
      });
    }
  }

  private boolean authorized(String header) {
    String token = served.options.token();
    if (token == null) {
      return true;
    }
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return java.security.MessageDigest.isEqual(header.substring(7).trim().getBytes(
        java.nio.charset.StandardCharsets.UTF_8), token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static void json(HttpServerRequest req, int status, JsonNode body) {
    if (req.response().ended()) {
      return;
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
  }

  static ObjectNode detail(String message) {
    return Json.JSON.createObjectNode().put("detail", message);
  }

  static ObjectNode validation(List<Object> loc, String msg, String type) {
    ObjectNode d = Json.JSON.createObjectNode();
    d.set("detail", Json.JSON.valueToTree(List.of(new WireError.FieldError(loc, msg, type))));
    return d;
  }

  private static void notFound(HttpServerRequest req) {
    json(req, 404, detail("Not Found; routes: WS /ws, GET /health /schema /metadata /state /metrics, POST /reset "
        + "/step /get_reward"));
  }
}
