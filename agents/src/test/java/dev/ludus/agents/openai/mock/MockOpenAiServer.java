package dev.ludus.agents.openai.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolCall;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * <b>A test double</b>: a real HTTP server on loopback that speaks the OpenAI chat-completions protocol
 * ({@code POST /v1/chat/completions}, also {@code /chat/completions}) well enough to test an agent backend
 * and to benchmark it. Test code (the {@code agents} test-fixtures jar): tests start it in process, and the
 * {@code ludus bench} commands that need it start it in a process of its own ({@link #main}).
 *
 * <p>It answers with what a {@link MockResponder} decides (by default an echo of the last message), after a
 * configurable latency, and includes tool calls, log-probs ({@code logprobs}, {@code top_logprobs}) and
 * vLLM's token ids ({@code return_token_ids} gives {@code choices[].token_ids} and {@code prompt_token_ids};
 * {@code return_tokens_as_token_ids} writes log-prob tokens as {@code token_id:N}) when the request asks for
 * them. A {@link MockFaultSchedule} makes chosen requests fail (500, 429 or 503 with {@code Retry-After},
 * malformed JSON, a truncated body, a hang, a reset connection). It records every request (headers
 * included), the largest number of requests it held at once, and the connections clients opened (which
 * tells one shared connection pool from several).
 *
 * <p>Thread-safety: all methods may be called from any thread; the responder, fault schedule, latency and
 * required key can be changed while it runs. {@link #start} and {@link #close} block the caller (never call
 * them on an event loop). Whoever starts it closes it.
 */
public final class MockOpenAiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpServer server;
  private final boolean record;
  private volatile MockResponder responder;
  private volatile MockFaultSchedule faults;
  private volatile long latencyMillis;
  private volatile String requiredApiKey;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger maxOpenConnections = new AtomicInteger();
  private final ConcurrentLinkedQueue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();
  private final Set<HttpServerRequest> hanging = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConcurrentLinkedQueue<long[]> traffic;

  private MockOpenAiServer(Builder b) {
    this.ownsVertx = b.vertx == null;
    this.vertx = ownsVertx ? Vertx.vertx() : b.vertx;
    this.record = b.record;
    this.responder = b.responder;
    this.faults = b.faults;
    this.latencyMillis = b.latencyMillis;
    this.requiredApiKey = b.requiredApiKey;
    this.traffic = b.traffic ? new ConcurrentLinkedQueue<>() : null;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(b.port)
        .setAcceptBacklog(4096));
    server.requestHandler(this::handle);
    server.connectionHandler(conn -> {
      connections.incrementAndGet();
      maxOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
      conn.closeHandler(v -> openConnections.decrementAndGet());
    });
  }

  /** A builder with the defaults: port 0 (any free port), no latency, echo responder, no faults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a default server on any free port. Blocks until it listens. */
  public static MockOpenAiServer start() {
    return builder().start();
  }

  /** Options of a {@link MockOpenAiServer}. Not thread-safe; use from one thread. */
  public static final class Builder {
    private int port;
    private long latencyMillis;
    private MockResponder responder = MockResponder.echo();
    private MockFaultSchedule faults = MockFaultSchedule.none();
    private String requiredApiKey;
    private boolean record = true;
    private boolean traffic;
    private Vertx vertx;

    private Builder() {}

    /** The port to listen on, or 0 for any free port (the default). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** How long to wait before answering each request (default 0). */
    public Builder latencyMillis(long millis) {
      this.latencyMillis = checkLatency(millis);
      return this;
    }

    public Builder responder(MockResponder responder) {
      this.responder = Objects.requireNonNull(responder, "responder");
      return this;
    }

    public Builder faults(MockFaultSchedule faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Answer 401 unless {@code Authorization: Bearer <key>} is sent (default: no key required). */
    public Builder requireApiKey(String key) {
      this.requiredApiKey = key;
      return this;
    }

    /** Whether to keep every request for {@link #requests()} (default true; turn off for long runs). */
    public Builder recordRequests(boolean record) {
      this.record = record;
      return this;
    }

    /**
     * Whether to log when each chat request arrived and when it was answered, in wall-clock microseconds, for
     * {@link #traffic()} (default false): another process can then line the server's load up with its own events.
     */
    public Builder logTraffic(boolean traffic) {
      this.traffic = traffic;
      return this;
    }

    /** Run on this Vert.x instance instead of one of its own (which it would close). */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** Starts the server. Blocks until it listens. */
    public MockOpenAiServer start() {
      MockOpenAiServer s = new MockOpenAiServer(this);
      try {
        s.server.listen().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        s.close();
        throw new IllegalStateException("mock OpenAI server could not listen on port " + port + ": " + e, e);
      }
      return s;
    }
  }

  private static long checkLatency(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("latencyMillis must be >= 0, was " + millis);
    }
    return millis;
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** The base URL an OpenAI client uses: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public void setResponder(MockResponder responder) {
    this.responder = Objects.requireNonNull(responder, "responder");
  }

  public void setFaults(MockFaultSchedule faults) {
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  public void setLatencyMillis(long millis) {
    this.latencyMillis = checkLatency(millis);
  }

  /** Requires {@code Authorization: Bearer <key>} from now on; null stops requiring it. */
  public void setRequiredApiKey(String key) {
    this.requiredApiKey = key;
  }

  /** The chat-completion requests received so far, in arrival order (empty when not recording). */
  public List<RecordedRequest> requests() {
    return new ArrayList<>(recorded);
  }

  /** How many chat-completion requests arrived so far (also when not recording). */
  public int requestCount() {
    return counter.get();
  }

  /** The requests held now (arrived, not yet answered). */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most requests held at once (arrived, not yet answered) since start or {@link #resetCounters}. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * How many connections clients opened so far. A client that keeps its connections alive (one pool per
   * endpoint) opens at most as many as it has requests in flight at once.
   */
  public int connectionCount() {
    return connections.get();
  }

  /** The most connections open at once since start or {@link #resetCounters}. */
  public int maxOpenConnections() {
    return maxOpenConnections.get();
  }

  /**
   * The traffic log (empty unless {@link Builder#logTraffic} is on): one {@code [epochMicros, +1]} per arrival and
   * one {@code [epochMicros, -1]} per answer or dropped connection, in the order they happened.
   */
  public List<long[]> traffic() {
    return traffic == null ? List.of() : new ArrayList<>(traffic);
  }

  private void logTraffic(int delta) {
    if (traffic != null) {
      java.time.Instant now = java.time.Instant.now();
      traffic.add(new long[] {now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, delta});
    }
  }

  /** Forgets recorded requests and restarts the request index, the connection count and the maxima. */
  public void resetCounters() {
    recorded.clear();
    counter.set(0);
    if (traffic != null) {
      traffic.clear();
    }
    connections.set(0);
    maxInFlight.set(inFlight.get());
    maxOpenConnections.set(openConnections.get());
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    boolean chat = path.equals("/v1/chat/completions") || path.equals("/chat/completions");
    if (!chat || req.method() != HttpMethod.POST) {
      req.response().setStatusCode(chat ? 405 : 404).putHeader("content-type", "application/json")
          .end(MockFault.errorBody(req.method() + " " + path + " is not served; use POST /v1/chat/completions",
              chat ? 405 : 404));
      return;
    }
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    logTraffic(1);
    AtomicBoolean done = new AtomicBoolean();
    Runnable finish = () -> {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
        logTraffic(-1);
        hanging.remove(req);
      }
    };
    req.response().endHandler(v -> finish.run());
    req.response().closeHandler(v -> finish.run());
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        finish.run();
        return;
      }
      String body = ar.result().toString(StandardCharsets.UTF_8);
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        json = null;
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      req.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue()));
      RecordedRequest r = new RecordedRequest(counter.getAndIncrement(), req.method().name(), path, headers, body,
          json, System.nanoTime());
      if (record) {
        recorded.add(r);
      }
      long latency = latencyMillis;
      if (latency > 0) {
        vertx.setTimer(latency, t -> answer(req, r, finish));
      } else {
        answer(req, r, finish);
      }
    });
  }

  private void answer(HttpServerRequest req, RecordedRequest r, Runnable finish) {
    HttpServerResponse resp = req.response();
    if (resp.closed()) {
      finish.run();
      return;
    }
    MockReply reply = faults.faultFor(r.index());
    if (reply == null) {
      reply = check(r);
    }
    if (reply == null) {
      try {
        reply = responder.respond(r);
      } catch (RuntimeException e) {
        reply = MockFault.status(500, "mock responder failed: " + e);
      }
    }
    if (reply instanceof MockReply.Completion c) {
      resp.putHeader("content-type", "application/json").end(Buffer.buffer(completion(r, c)));
      return;
    }
    MockFault f = (MockFault) reply;
    switch (f.kind()) {
      case STATUS -> {
        resp.setStatusCode(f.status()).putHeader("content-type", "application/json");
        if (f.retryAfter() != null) {
          resp.putHeader("retry-after", f.retryAfter());
        }
        resp.end(f.body());
      }
      case MALFORMED_JSON -> resp.putHeader("content-type", "application/json")
          .end("{\"id\":\"chatcmpl-mock\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\" oops }]}");
      case TRUNCATED_BODY -> {
        byte[] full = completion(r, MockReply.text("this body will be cut off halfway through"));
        resp.putHeader("content-type", "application/json").putHeader("content-length", String.valueOf(full.length));
        Buffer half = Buffer.buffer(full).getBuffer(0, full.length / 2);
        resp.write(half).onComplete(w -> req.connection().close());
      }
      case HANG -> {
        hanging.add(req);
        if (closed.get()) {
          req.connection().close();
        }
      }
      case RESET -> req.connection().close();
    }
  }

  /** A 400/401 for requests a real server would refuse, or null when the request is acceptable. */
  private MockFault check(RecordedRequest r) {
    String key = requiredApiKey;
    if (key != null) {
      String auth = r.header("authorization");
      if (!("Bearer " + key).equals(auth)) {
        String presented = auth == null ? "none" : auth.startsWith("Bearer ") ? auth.substring(7) : auth;
        return MockFault.status(401, "Incorrect API key provided: " + presented);
      }
    }
    JsonNode json = r.json();
    if (json == null || !json.isObject()) {
      return MockFault.status(400, "request body is not a JSON object");
    }
    if (!json.path("model").isTextual()) {
      return MockFault.status(400, "'model' is required");
    }
    if (!json.path("messages").isArray() || json.path("messages").isEmpty()) {
      return MockFault.status(400, "'messages' must be a non-empty array");
    }
    return null;
  }

  private static byte[] completion(RecordedRequest r, MockReply.Completion c) {
    JsonNode req = r.json();
    boolean logprobs = req.path("logprobs").asBoolean(false);
    int top = req.path("top_logprobs").asInt(0);
    boolean asIds = req.path("return_tokens_as_token_ids").asBoolean(false);
    boolean returnIds = req.path("return_token_ids").asBoolean(false);
    int n = Math.max(1, req.path("n").asInt(1));

    String toolText = c.toolCalls().isEmpty() ? "" : writeJson(JSON.valueToTree(c.toolCalls()));
    List<String> pieces = c.tokenIds() == null ? MockTokenizer.pieces(c.content() + toolText) : null;
    int[] ids = c.tokenIds() != null ? c.tokenIds()
        : pieces.stream().mapToInt(MockTokenizer::id).toArray();
    float[] lps = new float[ids.length];
    float[] given = c.logProbs();
    for (int i = 0; i < ids.length; i++) {
      lps[i] = given != null ? given[i] : MockTokenizer.logProb(ids[i]);
    }
    StringBuilder prompt = new StringBuilder();
    for (JsonNode m : req.path("messages")) {
      prompt.append("<|").append(m.path("role").asText()).append("|> ").append(m.path("content").asText("")).append(' ');
    }
    int[] promptIds = MockTokenizer.encode(prompt.toString());

    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-mock-" + r.index());
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", req.path("model").asText());
    ArrayNode choices = root.putArray("choices");
    for (int k = 0; k < n; k++) {
      ObjectNode choice = choices.addObject();
      choice.put("index", k);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      if (c.content().isEmpty() && !c.toolCalls().isEmpty()) {
        message.putNull("content");
      } else {
        message.put("content", c.content());
      }
      if (!c.toolCalls().isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        for (ToolCall call : c.toolCalls()) {
          ObjectNode o = calls.addObject();
          o.put("id", call.id());
          o.put("type", "function");
          o.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
      }
      if (logprobs) {
        ArrayNode content = choice.putObject("logprobs").putArray("content");
        for (int i = 0; i < ids.length; i++) {
          String token = asIds || pieces == null ? "token_id:" + ids[i] : pieces.get(i);
          ObjectNode t = content.addObject();
          t.put("token", token);
          t.put("logprob", lps[i]);
          ArrayNode bytes = t.putArray("bytes");
          for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
          }
          ArrayNode alternatives = t.putArray("top_logprobs");
          for (int j = 0; j < top; j++) {
            String alt = j == 0 ? token : asIds ? "token_id:" + (ids[i] + j) : "alt" + j;
            alternatives.addObject().put("token", alt).put("logprob", lps[i] - j).putNull("bytes");
          }
        }
      } else {
        choice.putNull("logprobs");
      }
      choice.put("finish_reason", c.finishReason());
      if (returnIds) {
        ArrayNode tokenIds = choice.putArray("token_ids");
        for (int id : ids) {
          tokenIds.add(id);
        }
      }
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptIds.length);
    usage.put("completion_tokens", ids.length * n);
    usage.put("total_tokens", promptIds.length + ids.length * n);
    if (returnIds) {
      ArrayNode p = root.putArray("prompt_token_ids");
      for (int id : promptIds) {
        p.add(id);
      }
    }
    return writeJson(root).getBytes(StandardCharsets.UTF_8);
  }

  private static String writeJson(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Stops listening, drops hanging requests and, if it made its own Vert.x, closes it. Blocks; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (HttpServerRequest r : hanging) {
      r.connection().close();
    }
    try {
      server.close().await(10, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // a test double shutting down: nothing useful to do with a slow close
    }
  }

  /**
   * Runs the mock in its own process. Arguments: {@code [port [latencyMillis]] [--exit-on-stdin-eof]
   * [--fault-mix SEED RETRY_AFTER]}; port 0 picks a free port. Prints {@code listening on PORT} on standard output
   * once it listens. With {@code --exit-on-stdin-eof} it exits when its standard input closes (so it dies with the
   * process that started it), first printing one line {@code stats {JSON}}: {@code requests}, {@code maxInFlight},
   * {@code served} (with a fault mix: requests by category) and {@code traffic} (its {@link #traffic()} log, kept
   * with a fault mix); otherwise it runs until killed. {@code --fault-mix} first answers 500 requests of its own (so
   * that short client timeouts do not meet a cold JVM), then serves {@link FaultMix}. Requests are not
   * recorded.
   */
  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    boolean exitOnEof = false;
    FaultMix mix = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--exit-on-stdin-eof" -> exitOnEof = true;
        case "--fault-mix" -> {
          if (i + 2 >= args.length) {
            throw new IllegalArgumentException("--fault-mix takes SEED RETRY_AFTER");
          }
          mix = new FaultMix(Long.parseLong(args[i + 1]), args[i + 2]);
          i += 2;
        }
        default -> positional.add(args[i]);
      }
    }
    int port = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 0;
    long latency = positional.size() > 1 ? Long.parseLong(positional.get(1)) : 0;
    MockOpenAiServer server = builder().port(port).latencyMillis(latency).recordRequests(false)
        .logTraffic(mix != null).start();
    if (mix != null) {
      // a client with short timeouts must not meet a cold JVM: warm the answering path, then serve the mix
      warmUp(server, 500);
      server.resetCounters();
      server.setFaults(mix.faults());
      server.setResponder(mix.responder());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mock-openai-shutdown"));
    System.out.println("listening on " + server.port());
    System.out.flush();
    if (exitOnEof) {
      InputStream in = System.in;
      while (in.read() >= 0) {
        // discard until end of stream
      }
      server.close();
      ObjectNode stats = JSON.createObjectNode();
      stats.put("requests", server.requestCount());
      stats.put("maxInFlight", server.maxInFlight());
      ObjectNode served = stats.putObject("served");
      if (mix != null) {
        mix.served().forEach(served::put);
      }
      ArrayNode log = stats.putArray("traffic");
      for (long[] e : server.traffic()) {
        log.addArray().add(e[0]).add(e[1]);
      }
      System.out.println("stats " + writeJson(stats));
      System.out.flush();
      System.exit(0);
    } else {
      try {
        Thread.sleep(Duration.ofDays(365).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends {@code requests} chat requests to the server, 16 at a time, and waits for their answers. */
  private static void warmUp(MockOpenAiServer server, int requests) {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + "/chat/completions"))
        .header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"warm-up\",\"logprobs\":true,"
            + "\"return_token_ids\":true,\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}]}"))
        .build();
    for (int sent = 0; sent < requests; sent += 16) {
      List<java.util.concurrent.CompletableFuture<?>> wave = new ArrayList<>();
      for (int k = 0; k < 16; k++) {
        wave.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.discarding()));
      }
      wave.forEach(java.util.concurrent.CompletableFuture::join);
    }
  }
}
