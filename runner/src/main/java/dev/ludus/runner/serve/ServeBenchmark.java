package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serve-env load and leak benchmark ({@code ludus bench serve-env}): a real server on loopback, and
 * {@code sessions} WebSocket clients at once (on a Vert.x instance of their own) playing {@code steps} steps in all,
 * each resetting when an episode ends. A share of them die half-way (after half the steps of a clean session): half of those drop the TCP connection without
 * a close frame, half go silent with it open (no pong, no message); the others close cleanly. At the end every slot
 * must be free again: {@code leaked} counts those still held once the server had time to notice the silent peers
 * (three ping intervals and a margin). Guess-number clients play by bisection on the feasible-range signal; any
 * other environment gets a fixed text action.
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  /**
   * @param dropShare the share of sessions that die half-way (0 to 1)
   * @param pingIntervalMillis the server's ping interval (small, so silent peers are noticed quickly)
   */
  public record Config(String env, String envConfig, String shaping, int sessions, int steps, double dropShare,
      long pingIntervalMillis) {
    public Config {
      if (sessions < 1 || steps < sessions) {
        throw new IllegalArgumentException("need at least 1 session and as many steps as sessions; got " + sessions
            + " sessions, " + steps + " steps");
      }
      if (dropShare < 0 || dropShare > 1) {
        throw new IllegalArgumentException("the drop share is between 0 and 1, was " + dropShare);
      }
    }
  }

  /**
   * @param steps step replies received
   * @param expectedSteps the steps the sessions meant to play: the configured steps (fewer received: the server
   *     dropped some sessions early, e.g. as unresponsive when the clients fell behind their pongs)
   * @param aborted sessions that dropped their TCP connection half-way
   * @param silent sessions that went silent half-way
   * @param errors error replies received (none expected)
   * @param leaked slots still held at the end (0 expected)
   * @param opened sessions the server gave a slot
   * @param clientP50Millis step latency seen by the clients, median
   * @param clientP99Millis and 99th percentile
   * @param serverP99Millis step latency the server measured (its histogram), 99th percentile
   * @param blockedWarnings how often the blocked-thread checker fired
   * @param closedBy the server's sessions closed by reason
   */
  public record Result(int sessions, long steps, long expectedSteps, int aborted, int silent, long errors, int leaked,
      long opened, double clientP50Millis, double clientP99Millis, double serverP99Millis, double seconds, long blockedWarnings,
      java.util.Map<String, Long> closedBy) {
    public String describe() {
      return String.format(Locale.ROOT, "sessions %d (opened %d; %d dropped their connection and %d went silent "
          + "half-way), steps %d of %d meant, errors %d, slots leaked %d; step latency p50 %.2f ms, "
          + "p99 %.2f ms (client), p99 %.2f ms (server); %.1f s; blocked-thread warnings %d; "
          + "sessions closed by reason %s", sessions, opened, aborted, silent, steps, expectedSteps, errors, leaked,
          clientP50Millis, clientP99Millis, serverP99Millis, seconds, blockedWarnings, closedBy);
    }
  }

  public static Result run(Registry registry, Config c) throws Exception {
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      BoundEnvironment env = Plugins.environment(registry, c.env(), c.envConfig())
          .withContext(runtime.pluginContext()).probe();
      ShapingPipeline shaped = c.shaping() == null ? null
          : ShapingFactory.build(registry, ShapingSpec.read(c.shaping()), env);
      ShapingPipeline reward = shaped != null ? shaped
          : ShapingFactory.build(registry, ShapingSpec.outcomeOnly(), env);
      ServeOptions options = ServeOptions.defaults().withPort(0).withMaxSessions(c.sessions())
          .withTimeouts(120_000, 30_000, c.pingIntervalMillis());
      EnvServer server = EnvServer.start(runtime.vertx(), env, shaped, reward, options, MetricsServer.newRegistry());
      long blockedBefore = runtime.blockedThreadWarnings();
      Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      try {
        NetClient net = clients.createNetClient(new NetClientOptions().setConnectTimeout(30_000));
        long[] latencies = new long[c.steps()];
        AtomicInteger latencyCount = new AtomicInteger();
        AtomicLong steps = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        int droppers = (int) Math.round(c.sessions() * c.dropShare());
        long started = System.nanoTime();
        List<Future<Void>> done = new ArrayList<>();
        long meant = 0;
        // a dying session plays half as many steps as a clean one, and the quotas add up to c.steps()
        double units = (c.sessions() - droppers) + droppers / 2.0;
        int[] quotas = new int[c.sessions()];
        long assigned = 0;
        for (int i = 0; i < c.sessions(); i++) {
          quotas[i] = Math.max(1, (int) Math.floor(c.steps() * (i < droppers ? 0.5 : 1.0) / units));
          assigned += quotas[i];
        }
        for (int i = droppers; assigned < c.steps() && i < c.sessions(); i++, assigned++) {
          quotas[i]++;
        }
        for (int i = 0; i < c.sessions(); i++) {
          int quota = quotas[i];
          Mode mode = i >= droppers ? Mode.CLEAN : i % 2 == 0 ? Mode.ABORT : Mode.SILENT;
          meant += quota;
          Promise<Void> p = Promise.promise();
          done.add(p.future());
          clients.runOnContext(v -> new Client(mode, quota, steps, errors, latencies, latencyCount, p)
              .start(net, server.port()));
        }
        Future.all(done).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        // silent peers are noticed after three ping intervals with no pong; give it that and a margin
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * c.pingIntervalMillis() + 5_000);
        while (server.activeSessions() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        long[] lat = Arrays.copyOf(latencies, Math.min(latencyCount.get(), latencies.length));
        Arrays.sort(lat);
        Result r = new Result(c.sessions(), steps.get(), meant, (droppers + 1) / 2, droppers / 2, errors.get(),
            server.activeSessions(), server.sessionsOpened(), quantile(lat, 0.5), quantile(lat, 0.99),
            server.stepLatencyMillis(0.99), seconds, runtime.blockedThreadWarnings() - blockedBefore,
            server.closedSessions());
        server.close();
        return r;
      } finally {
        clients.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  private enum Mode { CLEAN, ABORT, SILENT }

  /** One client session: reset, steps until its quota (resetting after each episode), then its way out. */
  private static final class Client {
    private final Mode mode;
    private final int quota;
    private final AtomicLong steps;
    private final AtomicLong errors;
    private final long[] latencies;
    private final AtomicInteger latencyCount;
    private final Promise<Void> done;
    private RawWebSocket ws;
    private int played;
    private long sentAt;
    private boolean stepping;

    Client(Mode mode, int quota, AtomicLong steps, AtomicLong errors, long[] latencies, AtomicInteger latencyCount,
        Promise<Void> done) {
      this.mode = mode;
      this.quota = quota;
      this.steps = steps;
      this.errors = errors;
      this.latencies = latencies;
      this.latencyCount = latencyCount;
      this.done = done;
    }

    void start(NetClient net, int port) {
      RawWebSocket.connect(net, "127.0.0.1", port, "/ws", null).onFailure(e -> {
        errors.incrementAndGet();
        done.tryComplete();
      }).onSuccess(w -> {
        ws = w;
        w.closeHandler(v -> done.tryComplete());
        w.textHandler(this::reply);
        w.send("{\"type\":\"reset\"}");
      });
    }

    private void reply(String text) {
      JsonNode m;
      try {
        m = Json.JSON.readTree(text);
      } catch (java.io.IOException e) {
        errors.incrementAndGet();
        return;
      }
      if (!"observation".equals(m.path("type").asText())) {
        errors.incrementAndGet();
        ws.closeCleanly();
        done.tryComplete();
        return;
      }
      if (stepping) {
        int k = latencyCount.getAndIncrement();
        if (k < latencies.length) {
          latencies[k] = System.nanoTime() - sentAt;
        }
        steps.incrementAndGet();
        played++;
      }
      if (played >= quota) {
        switch (mode) {
          case ABORT -> ws.abort();
          case SILENT -> ws.goSilent();
          default -> {
            ws.send("{\"type\":\"close\"}");
            ws.closeCleanly();
          }
        }
        done.tryComplete();
        return;
      }
      JsonNode data = m.path("data");
      if (data.path("done").asBoolean()) {
        stepping = false;
        ws.send("{\"type\":\"reset\"}");
        return;
      }
      JsonNode range = data.path("observation").path("signals").path("feasible-range");
      long guess = range.has("low") ? (range.get("low").asLong() + range.get("high").asLong()) / 2 : 1;
      stepping = true;
      sentAt = System.nanoTime();
      ws.send("{\"type\":\"step\",\"data\":{\"message\":\"<answer>" + guess + "</answer>\"}}");
    }
  }
}
