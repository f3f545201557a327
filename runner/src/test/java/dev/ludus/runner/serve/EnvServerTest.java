package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.Registry;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.metrics.MetricsServer;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ludus serve-env} speaks OpenEnv's protocol over real sockets on loopback: the WebSocket message loop and its
 * error codes, the HTTP routes, capacity, the bearer token, the idle reaper, the per-message deadline, shaped rewards
 * in the observation, a multi-agent match from one connection, OpenRLHF's /get_reward and the Prometheus scrape.
 */
class EnvServerTest {
  private static final Registry REGISTRY = Registry.load();
  static final String SHAPING = "{shapers: [{name: outcome}, {name: info-gain, weight: 0.5}]}";
  private static EpisodeRuntime runtime;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private long blockedBefore;

  @BeforeAll
  static void startRuntime() {
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(5_000));
  }

  @AfterAll
  static void stopRuntime() {
    runtime.close();
  }

  @BeforeEach
  void countBlocked() {
    blockedBefore = runtime.blockedThreadWarnings();
  }

  @AfterEach
  void closeAndCheckLoops() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    assertEquals(0, runtime.blockedThreadWarnings() - blockedBefore, "the blocked-thread checker fired");
  }

  private EnvServer serve(String env, String shaping, ServeOptions options) {
    BoundEnvironment bound = Plugins.environment(REGISTRY, env, null).withContext(runtime.pluginContext());
    return serve(bound, shaping, options);
  }

  private EnvServer serve(BoundEnvironment bound, String shaping, ServeOptions options) {
    ShapingPipeline shaped = shaping == null ? null : ShapingFactory.build(REGISTRY, ShapingSpec.read(shaping), bound);
    ShapingPipeline reward = shaped != null ? shaped
        : ShapingFactory.build(REGISTRY, ShapingSpec.outcomeOnly(), bound);
    EnvServer s = EnvServer.start(runtime.vertx(), bound, shaped, reward, options, MetricsServer.newRegistry());
    toClose.add(s);
    return s;
  }

  private static ServeOptions local() {
    return ServeOptions.defaults().withPort(0);
  }

  private WsProbe connect(EnvServer s) throws Exception {
    WsProbe p = WsProbe.connect(runtime.vertx(), s.port(), null);
    toClose.add(p);
    return p;
  }

  private HttpResponse<String> get(EnvServer s, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(EnvServer s, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> keys(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static void awaitSessions(EnvServer s, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (s.activeSessions() != n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(n, s.activeSessions(), "active sessions");
  }

  /** Plays guess-number by bisection on the feasible-range signal; returns the final reply's data. */
  private static JsonNode bisect(WsProbe ws, JsonNode first) throws Exception {
    JsonNode data = first;
    while (!data.path("done").asBoolean()) {
      JsonNode range = data.path("observation").path("signals").path("feasible-range");
      long guess = (range.get("low").asLong() + range.get("high").asLong()) / 2;
      data = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<answer>" + guess + "</answer>\"}}", "observation");
    }
    return data;
  }

  @Test
  void healthSchemaAndMetadataAnswerAsOpenEnvDoes() throws Exception {
    EnvServer s = serve("guess-number", SHAPING, local());
    assertEquals("{\"status\":\"healthy\"}", get(s, "/health", null).body());
    JsonNode schema = Json.JSON.readTree(get(s, "/schema", null).body());
    assertEquals(List.of("action", "observation", "state"), keys(schema));
    assertTrue(schema.at("/action/properties").has("message"), schema.toString());
    assertTrue(schema.at("/observation/properties").has("shaped_reward"), "shaping is declared: " + schema);
    assertTrue(schema.at("/observation/properties/signals/properties").has("feasible-range"), schema.toString());
    assertFalse(schema.at("/observation/properties/signals/properties").has("target"),
        "a secret signal is not shown: " + schema);
    JsonNode meta = Json.JSON.readTree(get(s, "/metadata", null).body());
    assertEquals(List.of("name", "description", "readme_content", "version", "author", "documentation_url"),
        keys(meta));
    assertEquals("guess-number", meta.get("name").asText());
    assertEquals(404, get(s, "/nope", null).statusCode());
  }

  @Test
  void aWebSocketEpisodeGoesResetStepStateCloseWithShapedRewards() throws Exception {
    EnvServer s = serve("guess-number", SHAPING, local());
    WsProbe ws = connect(s);
    awaitSessions(s, 1);
    JsonNode reset = ws.call("{\"type\":\"reset\",\"data\":{\"seed\":42}}", "observation");
    assertEquals(List.of("observation", "reward", "done"), keys(reset));
    assertTrue(reset.get("reward").isNull());
    assertFalse(reset.get("done").asBoolean());
    JsonNode obs = reset.get("observation");
    assertEquals("system", obs.at("/messages/0/role").asText());
    assertFalse(obs.path("signals").has("target"), "the secret target is never shown: " + obs);
    JsonNode step = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<answer>50</answer>\"}}", "observation");
    JsonNode o = step.get("observation");
    assertTrue(o.get("shaped_reward").isNumber(), step.toString());
    assertEquals(o.get("shaped_reward").asDouble(), step.get("reward").asDouble(), 1e-12,
        "the top-level reward is the shaped one");
    double sum = 0;
    Set<String> sources = new java.util.TreeSet<>();
    for (JsonNode c : o.get("reward_components")) {
      sum += c.get("value").asDouble();
      sources.add(c.get("source").asText());
    }
    assertEquals(o.get("shaped_reward").asDouble(), sum, 1e-9, "the reward is the sum of the turn's ledger");
    assertTrue(sources.contains("info-gain"), o.toString());
    JsonNode last = bisect(ws, step);
    assertTrue(last.get("observation").get("shaped_return").isNumber(), last.toString());
    JsonNode state = ws.call("{\"type\":\"state\"}", "state");
    assertEquals("episode_id", keys(state).get(0));
    assertEquals("step_count", keys(state).get(1));
    assertTrue(state.get("step_count").asInt() >= 1);
    assertTrue(state.get("done").asBoolean());
    ws.send("{\"type\":\"close\"}");
    assertTrue(ws.noReplyWithin(300), "close gets no reply");
    assertTrue(ws.awaitClosed(30_000), "the server closes the socket");
    awaitSessions(s, 0);
  }

  @Test
  void malformedFramesGetErrorCodesAndTheSessionStaysUsable() throws Exception {
    EnvServer s = serve("guess-number", null, local());
    WsProbe ws = connect(s);
    assertEquals("INVALID_JSON", ws.call("{not json", "error").get("code").asText());
    assertEquals("INVALID_JSON", ws.call("[1,2]", "error").get("code").asText());
    assertEquals("UNKNOWN_TYPE", ws.call("{\"type\":\"dance\"}", "error").get("code").asText());
    assertEquals("EXECUTION_ERROR", ws.call("{\"type\":\"step\",\"data\":{\"message\":\"1\"}}", "error")
        .get("code").asText(), "a step before any reset");
    ws.call("{\"type\":\"reset\"}", "observation");
    JsonNode bad = ws.call("{\"type\":\"step\",\"data\":{\"mesage\":\"4\"}}", "error");
    assertEquals("VALIDATION_ERROR", bad.get("code").asText());
    assertEquals("data", bad.at("/errors/0/loc/0").asText(), bad.toString());
    assertEquals("VALIDATION_ERROR", ws.call("{\"type\":\"state\",\"extra\":1}", "error").get("code").asText());
    JsonNode ok = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<answer>4</answer>\"}}", "observation");
    assertEquals(1, ok.at("/observation/turn").asInt(), "the session still plays: " + ok);
    assertEquals(1, s.activeSessions());
  }

  @Test
  void aFullServerAnswersCapacityReachedAndAFreedSlotIsReused() throws Exception {
    EnvServer s = serve("guess-number", null, local().withMaxSessions(1));
    WsProbe first = connect(s);
    awaitSessions(s, 1);
    WsProbe second = connect(s);
    JsonNode refused = second.next();
    assertEquals("error", refused.get("type").asText());
    assertEquals("CAPACITY_REACHED", refused.at("/data/code").asText());
    assertEquals(1, refused.at("/data/active_sessions").asInt());
    assertEquals(1, refused.at("/data/max_sessions").asInt());
    assertTrue(second.awaitClosed(30_000));
    first.ws.abort(); // no close message, no close frame: the slot is freed all the same
    awaitSessions(s, 0);
    WsProbe third = connect(s);
    third.call("{\"type\":\"reset\"}", "observation");
  }

  @Test
  void anExposedHostNeedsATokenAndEveryRouteButHealthChecksIt() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> local().withHost("0.0.0.0", null));
    assertTrue(e.getMessage().contains("--token"), e.getMessage());
    EnvServer s = serve("guess-number", null, local().withHost("127.0.0.1", "s3cret"));
    assertEquals(200, get(s, "/health", null).statusCode());
    assertEquals(401, get(s, "/schema", null).statusCode());
    assertEquals(401, get(s, "/schema", "wrong").statusCode());
    assertEquals(200, get(s, "/schema", "s3cret").statusCode());
    Exception refused = assertThrows(Exception.class, () -> WsProbe.connect(runtime.vertx(), s.port(), null));
    assertTrue(String.valueOf(refused.getMessage()).contains("401"), String.valueOf(refused));
    WsProbe ok = WsProbe.connect(runtime.vertx(), s.port(), "s3cret");
    toClose.add(ok);
    ok.call("{\"type\":\"reset\"}", "observation");
  }

  @Test
  void anOversizedMessageClosesTheSessionAndFreesItsSlot() throws Exception {
    EnvServer s = serve("guess-number", null, local().withMaxMessageBytes(1024));
    WsProbe ws = connect(s);
    awaitSessions(s, 1);
    ws.send("{\"type\":\"step\",\"data\":{\"message\":\"" + "9".repeat(5_000) + "\"}}");
    assertTrue(ws.awaitClosed(30_000));
    awaitSessions(s, 0);
    assertEquals(413, post(s, "/reset", "{\"seed\":1,\"pad\":\"" + "x".repeat(5_000) + "\"}").statusCode());
  }

  @Test
  void theIdleReaperClosesASilentSessionAndFreesItsSlot() throws Exception {
    EnvServer s = serve("guess-number", null, local().withTimeouts(300, 10_000, 10_000));
    WsProbe ws = connect(s);
    ws.call("{\"type\":\"reset\"}", "observation");
    assertTrue(ws.awaitClosed(30_000), "the reaper closes it");
    awaitSessions(s, 0);
    assertEquals(1L, s.closedSessions().get("idle"), s.closedSessions().toString());
  }

  @Test
  void aPeerThatAnswersNoPingIsDropped() throws Exception {
    EnvServer s = serve("guess-number", null, local().withTimeouts(60_000, 10_000, 100));
    WsProbe ws = connect(s);
    ws.call("{\"type\":\"reset\"}", "observation");
    ws.ws.goSilent();
    awaitSessions(s, 0);
    assertEquals(1L, s.closedSessions().get("unresponsive"), s.closedSessions().toString());
  }

  @Test
  void aStepPastThePerMessageDeadlineIsAnErrorAndEndsTheSession() throws Exception {
    EnvServer s = serve(new NeverProvider().bind(NoConfig.INSTANCE), null, local().withTimeouts(60_000, 200, 10_000));
    WsProbe ws = connect(s);
    ws.call("{\"type\":\"reset\"}", "observation");
    JsonNode err = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"x\"}}", "error");
    assertEquals("EXECUTION_ERROR", err.get("code").asText());
    assertTrue(err.get("message").asText().contains("200 ms"), err.toString());
    assertTrue(ws.awaitClosed(30_000));
    awaitSessions(s, 0);
    assertEquals(1L, s.closedSessions().get("timeout"), s.closedSessions().toString());
  }

  @Test
  void theStatelessFormsResetAndStepAFreshInstance() throws Exception {
    EnvServer s = serve("guess-number", null, local());
    HttpResponse<String> reset = post(s, "/reset", "{\"seed\":3}");
    assertEquals(200, reset.statusCode(), reset.body());
    JsonNode r = Json.JSON.readTree(reset.body());
    assertEquals(List.of("observation", "reward", "done"), keys(r));
    HttpResponse<String> step = post(s, "/step", "{\"action\":{\"message\":\"<answer>2</answer>\"},\"seed\":3,"
        + "\"timeout_s\":30,\"request_id\":\"r1\"}");
    assertEquals(200, step.statusCode(), step.body());
    assertEquals(1, Json.JSON.readTree(step.body()).at("/observation/turn").asInt());
    HttpResponse<String> invalid = post(s, "/step", "{\"action\":{\"bogus\":1}}");
    assertEquals(422, invalid.statusCode());
    assertTrue(Json.JSON.readTree(invalid.body()).get("detail").isArray(), invalid.body());
    assertEquals(0, s.activeSessions());
  }

  @Test
  void getRewardReplaysEachAnswerAndScoresIt() throws Exception {
    EnvServer s = serve("guess-number", SHAPING, local());
    WsProbe ws = connect(s);
    JsonNode last = bisect(ws, ws.call("{\"type\":\"reset\",\"data\":{\"seed\":7}}", "observation"));
    assertTrue(last.at("/observation/terminated").asBoolean());
    String content = last.at("/observation/messages/0/content").asText();
    Matcher m = Pattern.compile("My number is (\\d+)").matcher(content);
    assertTrue(m.find(), content);
    String target = m.group(1);
    String body = "{\"query\":[\"PROMPT<answer>" + target + "</answer>\",\"PROMPT<answer>" + (Integer.parseInt(target)
        == 1 ? 2 : 1) + "</answer>\"],\"prompts\":[\"PROMPT\",\"PROMPT\"],\"labels\":[\"{\\\"seed\\\":7}\","
        + "\"{\\\"seed\\\":7}\"]}";
    HttpResponse<String> resp = post(s, "/get_reward", body);
    assertEquals(200, resp.statusCode(), resp.body());
    JsonNode r = Json.JSON.readTree(resp.body());
    assertEquals(List.of("rewards", "scores", "extra_logs"), keys(r));
    assertEquals(1.0, r.at("/scores/0").asDouble(), resp.body());
    assertEquals(0.0, r.at("/scores/1").asDouble(), resp.body());
    assertTrue(r.at("/rewards/0").asDouble() > r.at("/rewards/1").asDouble(), resp.body());
    assertEquals(2, r.at("/extra_logs/info-gain").size(), resp.body());
    assertEquals(1.0, r.at("/extra_logs/env_return/0").asDouble(), resp.body());
    assertEquals(422, post(s, "/get_reward", "{\"prompts\":[]}").statusCode());
  }

  @Test
  void aMultiAgentMatchIsPlayedFromOneConnectionSeatBySeat() throws Exception {
    EnvServer s = serve("deal-or-no-deal", "{shapers: [{name: outcome}]}", local());
    WsProbe ws = connect(s);
    JsonNode data = ws.call("{\"type\":\"reset\",\"data\":{\"seed\":1}}", "observation");
    JsonNode o = data.get("observation");
    String first = o.get("current_player_id").asText();
    assertEquals(List.of("alice", "bob"), List.of(o.at("/seats/0").asText(), o.at("/seats/1").asText()));
    String other = first.equals("alice") ? "bob" : "alice";
    Matcher items = Pattern.compile("Items: ([^.]*)\\.").matcher(o.toString());
    assertTrue(items.find(), o.toString());
    String all = items.group(1);
    JsonNode wrong = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"hi\",\"player_id\":\"" + other + "\"}}",
        "error");
    assertEquals("VALIDATION_ERROR", wrong.get("code").asText());
    data = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<selection>\"}}", "observation");
    int moves = 0;
    while (!data.get("done").asBoolean() && moves++ < 10) {
      String seat = data.at("/observation/current_player_id").asText();
      String choice = seat.equals("alice") ? all : all.replaceAll("=\\d+", "=0");
      data = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<choose>" + choice + "</choose>\",\"player_id\":\""
          + seat + "\"}}", "observation");
    }
    assertTrue(data.get("done").asBoolean(), data.toString());
    JsonNode end = data.get("observation");
    assertTrue(end.get("current_player_id").isNull());
    assertTrue(end.at("/seat_returns/alice").asDouble() > 0, "alice took everything and both agreed: " + end);
    assertTrue(end.at("/seat_shaped_returns/alice").isNumber(), end.toString());
  }

  @Test
  void metricsAreScrapedOverHttp() throws Exception {
    EnvServer s = serve("guess-number", null, local());
    WsProbe ws = connect(s);
    ws.call("{\"type\":\"reset\"}", "observation");
    ws.call("{\"type\":\"step\",\"data\":{\"message\":\"<answer>3</answer>\"}}", "observation");
    HttpResponse<String> scrape = get(s, "/metrics", null);
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    String text = scrape.body();
    assertTrue(text.contains("ludus_serve_sessions_active{env=\"guess-number\"} 1.0"), text);
    assertTrue(text.contains("ludus_serve_steps_total{env=\"guess-number\"} 1.0"), text);
    assertTrue(text.contains("ludus_serve_step_latency_seconds_bucket{"), text);
  }

  @Test
  void aBlockingEnvironmentStepsOnWorkerThreadsNotOnTheEventLoop() throws Exception {
    ThreadRecorder recorder = new ThreadRecorder();
    EnvServer s = serve(recorder.bind(NoConfig.INSTANCE), null, local().withSeed(0, true));
    WsProbe ws = connect(s);
    ws.call("{\"type\":\"reset\"}", "observation");
    JsonNode step = ws.call("{\"type\":\"step\",\"data\":{\"message\":\"hello\"}}", "observation");
    assertTrue(step.get("done").asBoolean());
    assertEquals(2, recorder.threads.size(), recorder.threads.toString());
    for (String t : recorder.threads) {
      assertTrue(t.contains("worker"), "ran on " + t);
    }
  }

  /** A synchronous environment that records the threads it runs on and ends after one step. */
  static final class ThreadRecorder implements EnvironmentProvider<NoConfig> {
    final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "thread-recorder";
    }

    @Override
    public String description() {
      return "records its threads";
    }

    @Override
    public Class<NoConfig> configType() {
      return NoConfig.class;
    }

    @Override
    public NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }

    @Override
    public AnyEnvironment create(NoConfig config) {
      return new dev.ludus.api.Environment() {
        @Override
        public Reset reset(Task task, long seed) {
          threads.add(Thread.currentThread().getName());
          return Reset.of(List.of(Message.user("say anything")));
        }

        @Override
        public StepResult step(Message action) {
          threads.add(Thread.currentThread().getName());
          return new StepResult(List.of(Message.user("thanks")), 1.0, true, false, null);
        }
      };
    }

    @Override
    public Set<SignalKey<?>> signals() {
      return Set.of();
    }

    @Override
    public dev.ludus.api.Agent randomAgent(NoConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  /** An environment whose steps never answer (for the deadline). */
  static final class NeverProvider implements EnvironmentProvider<NoConfig> {
    @Override
    public String name() {
      return "never";
    }

    @Override
    public String description() {
      return "a step that never answers";
    }

    @Override
    public Class<NoConfig> configType() {
      return NoConfig.class;
    }

    @Override
    public NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }

    @Override
    public AnyEnvironment create(NoConfig config) {
      return new AsyncEnvironment() {
        @Override
        public CompletionStage<Reset> reset(Task task, long seed) {
          return CompletableFuture.completedFuture(Reset.of(List.of(Message.user("say anything"))));
        }

        @Override
        public CompletionStage<StepResult> step(Message action) {
          return new CompletableFuture<>();
        }
      };
    }

    @Override
    public Set<SignalKey<?>> signals() {
      return Set.of();
    }

    @Override
    public dev.ludus.api.Agent randomAgent(NoConfig config) {
      throw new UnsupportedOperationException();
    }
  }
}
