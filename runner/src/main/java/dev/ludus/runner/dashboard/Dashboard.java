package dev.ludus.runner.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.api.codec.EpisodeFormatException;
import dev.ludus.runner.config.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ludus dashboard}: a local web page over run directories, served by Vert.x on the loopback interface only.
 *
 * <p>Design: the page ({@code dashboard/index.html}, {@code app.js}, {@code style.css} on the class path; plain
 * JavaScript drawing SVG, nothing fetched from elsewhere, and a Content-Security-Policy that forbids it) polls JSON
 * routes. Every route reads files on a worker thread ({@link Vertx#executeBlocking}), never on the event loop;
 * a {@link RunCatalog} finds the runs, and each run's {@code metrics.jsonl} is tailed ({@link MetricsTail}: the page
 * asks for the lines after the last it has, so curves grow while a run trains) and its {@code episodes.jsonl}
 * indexed by line offsets ({@link EpisodeIndex}: the browser reads one page of episodes at a time, never the whole
 * file). Requests whose {@code Host} is not a loopback name are refused (a guard against DNS rebinding), so reach
 * a remote dashboard through an SSH tunnel ({@code ssh -L 8765:localhost:8765 HOST}).
 *
 * <p>Routes: {@code GET /api/settings}, {@code /api/runs} (the runs), {@code /api/runs/ID} (counts, failure kinds,
 * evaluations, summary, config), {@code /api/runs/ID/metrics?from=N} (the curves from line N on),
 * {@code /api/runs/ID/episodes?filter=F&order=newest|oldest&offset=N&limit=N} (a page of episodes),
 * {@code /api/runs/ID/episodes/INDEX} (one episode, each turn with its messages, signals and ledger) and {@code /runs/ID/report.html}
 * (the run's offline report). Thread-safe; life-cycle: {@link #start}, then {@link #close}.
 */
public final class Dashboard {
  /** The only interface the dashboard listens on. */
  public static final String HOST = "127.0.0.1";

  private static final int MAX_PAGE = 500;
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'";
  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");
  private static final EpisodeCodec CODEC = EpisodeCodec.plain();

  private final Vertx vertx;
  private final RunCatalog catalog;
  private final DashboardOptions options;
  private final Map<String, Buffer> assets;
  private HttpServer server;

  private Dashboard(Vertx vertx, DashboardOptions options, Map<String, Buffer> assets) {
    this.vertx = vertx;
    this.options = options;
    this.catalog = new RunCatalog(options.roots());
    this.assets = assets;
  }

  /** Starts a dashboard on {@code vertx}; the future fails when the port cannot be bound. */
  public static Future<Dashboard> start(Vertx vertx, DashboardOptions options) {
    return vertx.executeBlocking(Dashboard::loadAssets, false)
        .compose(assets -> new Dashboard(vertx, options, assets).listen());
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The page's address. */
  public String url() {
    return "http://" + HOST + ":" + port() + "/";
  }

  /** Stops listening; the caller's Vert.x instance stays open. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Future<Dashboard> listen() {
    Router router = Router.router(vertx);
    router.route().handler(this::guard);
    ASSETS.forEach((path, name) -> router.get(path).handler(ctx -> asset(ctx, name)));
    router.get("/api/settings").handler(ctx -> json(ctx, () -> new Views.Settings(options.pollMillis())));
    router.get("/api/runs").handler(ctx -> json(ctx, () -> catalog.runs().stream().map(RunFiles::info).toList()));
    router.get("/api/runs/:id").handler(ctx -> json(ctx, () -> run(ctx).overview()));
    router.get("/api/runs/:id/metrics").handler(ctx -> json(ctx, () -> {
      RunFiles run = run(ctx);
      return run.metrics().from(run.id(), intParam(ctx, "from", 0, 0, Integer.MAX_VALUE));
    }));
    router.get("/api/runs/:id/episodes").handler(ctx -> json(ctx, () -> {
      RunFiles run = run(ctx);
      String order = ctx.request().getParam("order", "newest");
      if (!order.equals("newest") && !order.equals("oldest")) {
        throw new IllegalArgumentException("unknown order '" + order + "'; allowed: newest, oldest");
      }
      return run.episodes().page(run.id(), EpisodeFilter.parse(ctx.request().getParam("filter")),
          order.equals("newest"), intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
          intParam(ctx, "limit", 50, 1, MAX_PAGE));
    }));
    router.get("/api/runs/:id/episodes/:index").handler(this::episode);
    router.get("/runs/:id/report.html").handler(this::report);
    router.route().last().handler(ctx -> problem(ctx.response(), 404, "no such page: " + ctx.request().path()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(options.port()));
    return server.requestHandler(router).listen().map(s -> this);
  }

  /** Refuses a request whose Host header does not name the loopback interface; adds the security headers. */
  private void guard(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    if (authority == null || !LOOPBACK_NAMES.contains(authority.host())) {
      problem(ctx.response(), 403, "the dashboard answers only requests addressed to localhost or 127.0.0.1 "
          + "(reach it from another machine through an SSH tunnel: ssh -L PORT:localhost:PORT HOST)");
      return;
    }
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }

  private void asset(RoutingContext ctx, String name) {
    String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
        : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    ctx.response().putHeader("Content-Type", type).end(assets.get(name));
  }

  private void episode(RoutingContext ctx) {
    respond(ctx, "application/json", () -> {
      RunFiles run = run(ctx);
      int index = intParam(ctx, "index", 0, 0, Integer.MAX_VALUE);
      byte[] line = run.episodes().line(index).orElseThrow(() -> new NoSuchElementException(
          "run " + run.id() + " has no episode " + index + " (it has " + run.episodes().size() + ")"));
      Episode e;
      try {
        e = CODEC.decode(line);
      } catch (EpisodeFormatException ex) {
        throw new IllegalStateException("episode " + index + " of run " + run.id() + " is not readable: "
            + ex.reason(), ex);
      }
      return Json.JSON.writeValueAsBytes(Views.episode(run.id(), index, e));
    });
  }

  private void report(RoutingContext ctx) {
    vertx.executeBlocking(() -> {
      Path f = run(ctx).dir().resolve(RunFiles.REPORT);
      if (!Files.isRegularFile(f)) {
        throw new NoSuchElementException("run " + run(ctx).id() + " has no report.html (training runs write one "
            + "when they end)");
      }
      return f.toString();
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").sendFile(ar.result());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  private RunFiles run(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return catalog.find(id).orElseThrow(() -> new NoSuchElementException("no run '" + id + "'; the runs are under "
        + catalog.roots()));
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String v = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " '" + v + "' is not allowed; allowed: a whole number from " + min
        + " to " + max);
  }

  /** Runs {@code work} on a worker thread and answers with its value as JSON. */
  private void json(RoutingContext ctx, Callable<?> work) {
    respond(ctx, "application/json", () -> Json.JSON.writeValueAsBytes(work.call()));
  }

  private void respond(RoutingContext ctx, String type, Callable<byte[]> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", type).end(Buffer.buffer(ar.result()));
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  private static void fail(RoutingContext ctx, Throwable t) {
    int code = t instanceof NoSuchElementException ? 404 : t instanceof IllegalArgumentException ? 400 : 500;
    problem(ctx.response(), code, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  private static void problem(HttpServerResponse response, int code, String message) {
    if (response.ended()) {
      return;
    }
    try {
      response.setStatusCode(code).putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(Json.JSON.writeValueAsBytes(new Views.Problem(message))));
    } catch (JsonProcessingException e) {
      response.setStatusCode(500).end();
    }
  }

  private static Map<String, Buffer> loadAssets() {
    Map<String, Buffer> out = new LinkedHashMap<>();
    for (String name : List.of("index.html", "app.js", "style.css")) {
      try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the dashboard's page is missing from the class path: dashboard/" + name);
        }
        out.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
