package dev.ludus.agents.openai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The {@code openai} agent: one chat-completions request per turn to an OpenAI-compatible server.
 *
 * <p><b>Design note.</b> A turn's request body is written once ({@link ChatRequestEncoder}); then each attempt
 * takes a permit from the endpoint's concurrency cap (a queue, no thread held), passes through the endpoint's
 * circuit breaker, and is sent with a deadline of {@code requestTimeoutMillis}. Connection errors, timeouts,
 * truncated bodies and 5xx count as breaker failures and are retried; 429 (and 408) is retried but does not
 * count (the server is alive, only busy); other 4xx, malformed or odd bodies are final at once. Retries wait an
 * exponential backoff with full jitter, or the server's {@code Retry-After} on 429/503 when longer. When
 * {@code breakerMaxFailures} failures fall within 10 s without a success in between, the breaker opens and
 * every turn fails fast ({@code openai/circuit-open}) until {@code breakerOpenMillis} has passed; then one
 * trial request decides whether it closes again. Deterministic requests (temperature 0 and a seed) go
 * through a Caffeine cache keyed by the request body, which also merges identical requests in flight.
 *
 * <p><b>Failures are values.</b> {@link #act} never throws and its stage never completes exceptionally: every
 * problem becomes an {@link AgentResponse.Failure} whose reason is {@code openai/<kind>: <detail>} (see
 * {@link OpenAiFailureKind}): the HTTP status with a redacted, truncated body excerpt; a timeout or connection
 * error with the attempt count; circuit open; malformed JSON; a truncated body; a tool call whose arguments
 * are not a JSON object; empty choices. The API key never appears in reasons or logs.
 *
 * <p><b>Tokens.</b> A reply carries a {@link dev.ludus.api.TokenTrace} only when the server returns the exact
 * token ids (vLLM with {@code returnTokenIds}) and log-probs. Otherwise the trace is null, counted in
 * {@link Stats#repliesWithoutTokenTrace()}, and logged once: the learner refuses to train on such turns
 * rather than re-tokenize them.
 *
 * <p>Thread-safety: thread-safe; one agent serves many episodes at once. {@link #act} never blocks: it may be
 * called from any thread, including event loops, and its stage completes on one of this agent's Vert.x event
 * loops (so dependent stages must not block either). Life-cycle: whoever creates it closes it; {@link
 * #close()} is idempotent, answers pending turns with {@code openai/closed}, and closes the Vert.x instance
 * only if the agent created it.
 */
public final class OpenAiAgent implements Agent, dev.ludus.api.AgentStatistics {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final int BODY_EXCERPT = 300;

  /**
   * The reply cache's counters.
   *
   * @param hits requests answered from the cache (or joined to an identical request in flight)
   * @param misses requests sent to the server
   * @param evictions replies evicted to stay within {@code cacheSize}
   * @param size replies cached now
   * @param enabled whether this agent caches at all (cacheSize > 0, temperature 0 and a seed)
   */
  public record CacheStats(long hits, long misses, long evictions, long size, boolean enabled) {
    /** Hits over lookups, 0 when there were none. */
    public double hitRate() {
      long lookups = hits + misses;
      return lookups == 0 ? 0 : (double) hits / lookups;
    }
  }

  /**
   * What this agent has done so far.
   *
   * @param turns calls of {@link #act}
   * @param attempts HTTP requests sent (retries included; cache hits and fast failures excluded)
   * @param retries attempts after the first of a turn
   * @param replies turns answered with a reply
   * @param repliesWithoutTokenTrace replies whose trace is null (no token ids or log-probs from the server)
   * @param failures turns answered with a failure
   * @param failuresByKind failures by kind
   * @param maxInFlight the most requests this agent had in flight at once
   */
  public record Stats(long turns, long attempts, long retries, long replies, long repliesWithoutTokenTrace,
      long failures, Map<OpenAiFailureKind, Long> failuresByKind, int maxInFlight) {
    public Stats {
      failuresByKind = Map.copyOf(failuresByKind);
    }
  }

  private final OpenAiAgentProvider.Config config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final WebClient client;
  private final CircuitBreaker breaker;
  private final ConcurrencyLimiter limiter;
  private final AsyncCache<String, AgentResponse> cache;
  private final String endpoint;
  private final String authorization;
  private final Redactor redactor;
  private final Logger log;
  private final ChatRequestEncoder encoder;
  private final ChatResponseDecoder decoder;
  private final Set<CompletableFuture<AgentResponse>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warnedNoTokens = new AtomicBoolean();
  private final LongAdder turns = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder replies = new LongAdder();
  private final LongAdder repliesWithoutTrace = new LongAdder();
  private final Map<OpenAiFailureKind, LongAdder> failures = new EnumMap<>(OpenAiFailureKind.class);

  /** An agent with its own Vert.x instance, reading the API key from the process environment. */
  public OpenAiAgent(OpenAiAgentProvider.Config config) {
    this(config, null);
  }

  /**
   * An agent on a shared Vert.x instance (not closed with the agent), or its own when {@code vertx} is null,
   * reading the API key from the process environment.
   */
  public OpenAiAgent(OpenAiAgentProvider.Config config, Vertx vertx) {
    this(config, vertx, System::getenv, org.slf4j.LoggerFactory.getLogger(OpenAiAgent.class),
        OpenAiAgentProvider.textToolCallParser(config));
  }

  OpenAiAgent(OpenAiAgentProvider.Config config, Vertx vertx, Function<String, String> environment, Logger log,
      TextToolCallParser textToolCalls) {
    this.config = Objects.requireNonNull(config, "config");
    this.log = Objects.requireNonNull(log, "log");
    String key = config.apiKeyEnv() == null ? null : environment.apply(config.apiKeyEnv());
    if (key != null && key.isBlank()) {
      key = null;
    }
    if (key == null && config.apiKeyRequired()) {
      throw new ConfigException("openai config: apiKeyRequired is true but the environment variable "
          + config.apiKeyEnv() + " is not set");
    }
    this.authorization = key == null ? null : "Bearer " + key.trim();
    this.redactor = new Redactor(key == null ? null : key.trim());
    this.endpoint = config.baseUrl() + "/chat/completions";
    this.ownsVertx = vertx == null;
    this.vertx = ownsVertx ? Vertx.vertx() : vertx;
    for (OpenAiFailureKind k : OpenAiFailureKind.values()) {
      failures.put(k, new LongAdder());
    }
    WebClientOptions options = new WebClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setFollowRedirects(false)
        .setUserAgent("ludus-openai")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.min(config.requestTimeoutMillis(), 30_000)));
    this.client = WebClient.create(this.vertx, options,
        new PoolOptions().setHttp1MaxSize(config.maxConcurrency()).setMaxWaitQueueSize(-1));
    this.breaker = CircuitBreaker.create("openai:" + config.baseUrl(), this.vertx, new CircuitBreakerOptions()
        .setMaxFailures(config.breakerMaxFailures())
        .setResetTimeout(config.breakerOpenMillis())
        .setTimeout(-1)
        .setMaxRetries(0)
        .setNotificationAddress(null));
    breaker.openHandler(v -> log.warn(redactor.apply("openai endpoint " + endpoint + ": circuit opened after "
        + config.breakerMaxFailures() + " failures; failing fast for " + config.breakerOpenMillis() + " ms")));
    breaker.halfOpenHandler(v -> log.info(redactor.apply("openai endpoint " + endpoint
        + ": circuit half-open; sending one trial request")));
    breaker.closeHandler(v -> log.info(redactor.apply("openai endpoint " + endpoint + ": circuit closed")));
    this.limiter = new ConcurrencyLimiter(config.maxConcurrency(), task -> this.vertx.runOnContext(v -> task.run()));
    boolean deterministic = config.temperature() == 0.0 && config.seed() != null;
    this.cache = config.cacheSize() > 0 && deterministic
        ? Caffeine.newBuilder().maximumSize(config.cacheSize()).executor(Runnable::run).recordStats().buildAsync()
        : null;
    this.encoder = new ChatRequestEncoder(JSON, config);
    this.decoder = new ChatResponseDecoder(JSON, redactor, textToolCalls,
        config.invalidToolArguments().equals("fail"));
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    turns.increment();
    try {
      if (closed.get()) {
        return CompletableFuture.completedFuture(fail(OpenAiFailureKind.CLOSED, "the agent is closed"));
      }
      String body;
      try {
        body = encoder.encode(request);
      } catch (IllegalArgumentException e) {
        return CompletableFuture.completedFuture(fail(OpenAiFailureKind.BAD_REQUEST, redactor.apply(e.getMessage())));
      }
      if (cache == null) {
        return execute(body, request.turn());
      }
      // Only replies stay cached: a failure removes its own entry before anyone sees it complete.
      return cache.get(body, (key, executor) -> execute(body, request.turn()).thenApply(r -> {
        if (r instanceof AgentResponse.Failure) {
          cache.synchronous().invalidate(key);
        }
        return r;
      })).handle((r, error) -> r != null ? r : fail(OpenAiFailureKind.INTERNAL, describe(error)));
    } catch (RuntimeException bug) {
      return CompletableFuture.completedFuture(fail(OpenAiFailureKind.INTERNAL, describe(bug)));
    }
  }

  /** The reply cache's hit and miss counts, for the run summary. */
  /** Requests and cache, for the run summary. */
  public record Summary(Stats requests, CacheStats cache) {}

  @Override
  public Record statistics() {
    return new Summary(stats(), cacheStats());
  }

  public CacheStats cacheStats() {
    if (cache == null) {
      return new CacheStats(0, 0, 0, 0, false);
    }
    var s = cache.synchronous().stats();
    return new CacheStats(s.hitCount(), s.missCount(), s.evictionCount(), cache.synchronous().estimatedSize(), true);
  }

  /** Counters of turns, attempts, retries, replies and failures by kind. */
  public Stats stats() {
    Map<OpenAiFailureKind, Long> byKind = new EnumMap<>(OpenAiFailureKind.class);
    long total = 0;
    for (Map.Entry<OpenAiFailureKind, LongAdder> e : failures.entrySet()) {
      long v = e.getValue().sum();
      total += v;
      if (v > 0) {
        byKind.put(e.getKey(), v);
      }
    }
    return new Stats(turns.sum(), attempts.sum(), retries.sum(), replies.sum(), repliesWithoutTrace.sum(), total,
        byKind, limiter.maxObserved());
  }

  /** The configuration this agent runs with. */
  public OpenAiAgentProvider.Config config() {
    return config;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CompletableFuture<AgentResponse> f : pending) {
      complete(f, fail(OpenAiFailureKind.CLOSED, "the agent was closed before the server answered"));
    }
    breaker.close();
    client.close();
    if (ownsVertx) {
      vertx.close();
    }
  }

  @Override
  public String toString() {
    return "OpenAiAgent[" + endpoint + ", model " + config.model() + "]";
  }

  // ---- one turn: attempts, retries, outcome ----

  private CompletableFuture<AgentResponse> execute(String body, int turn) {
    CompletableFuture<AgentResponse> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((r, e) -> pending.remove(result));
    if (closed.get()) {
      complete(result, fail(OpenAiFailureKind.CLOSED, "the agent is closed"));
      return result;
    }
    attempt(Buffer.buffer(body), turn, 1, result);
    return result;
  }

  private void attempt(Buffer body, int turn, int attempt, CompletableFuture<AgentResponse> result) {
    if (result.isDone()) {
      return;
    }
    if (closed.get()) {
      complete(result, fail(OpenAiFailureKind.CLOSED, "the agent was closed before the server answered"));
      return;
    }
    limiter.acquire(() -> {
      Future<Outcome> outcome;
      try {
        outcome = breaker.execute(() -> send(body, turn));
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(ar -> {
        limiter.release();
        try {
          if (ar.succeeded()) {
            handle(ar.result(), body, turn, attempt, result);
          } else {
            handle(ar.cause(), body, turn, attempt, result);
          }
        } catch (RuntimeException bug) {
          complete(result, fail(OpenAiFailureKind.INTERNAL, describe(bug)));
        }
      });
    });
  }

  private void handle(Outcome outcome, Buffer body, int turn, int attempt, CompletableFuture<AgentResponse> result) {
    if (outcome instanceof Outcome.Done done) {
      complete(result, done.response());
    } else if (outcome instanceof Outcome.Retry retry) {
      retryOrFail(retry.kind(), retry.detail(), retry.retryAfterMillis(), body, turn, attempt, result);
    }
  }

  private void handle(Throwable error, Buffer body, int turn, int attempt, CompletableFuture<AgentResponse> result) {
    if (error instanceof OpenCircuitException) {
      complete(result, fail(OpenAiFailureKind.CIRCUIT_OPEN, "endpoint " + endpoint + " failed repeatedly; the circuit"
          + " breaker is open (opens after " + config.breakerMaxFailures() + " failures, stays open "
          + config.breakerOpenMillis() + " ms before a trial request)"
          + (attempt > 1 ? "; " + (attempt - 1) + " earlier attempts failed" : "")));
    } else if (error instanceof AttemptFailure f) {
      retryOrFail(f.kind, f.detail, f.retryAfterMillis, body, turn, attempt, result);
    } else {
      complete(result, fail(OpenAiFailureKind.INTERNAL, describe(error)));
    }
  }

  private void retryOrFail(OpenAiFailureKind kind, String detail, long retryAfterMillis, Buffer body, int turn,
      int attempt, CompletableFuture<AgentResponse> result) {
    if (attempt > config.maxRetries()) {
      complete(result, fail(kind, detail + "; gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts")));
      return;
    }
    if (retryAfterMillis > config.maxRetryAfterMillis()) {
      complete(result, fail(OpenAiFailureKind.RETRY_AFTER_TOO_LONG, detail + "; the server asked to retry after "
          + retryAfterMillis + " ms, more than maxRetryAfterMillis " + config.maxRetryAfterMillis()));
      return;
    }
    long delay = Math.max(retryAfterMillis, Backoff.fullJitter(attempt, config.backoffBaseMillis(),
        config.backoffMaxMillis()));
    retries.increment();
    if (log.isDebugEnabled()) {
      log.debug(redactor.apply("openai attempt " + attempt + " failed (" + kind.tag() + ": " + detail
          + "); retrying in " + delay + " ms"));
    }
    if (delay <= 0) {
      vertx.runOnContext(v -> attempt(body, turn, attempt + 1, result));
    } else {
      vertx.setTimer(delay, t -> attempt(body, turn, attempt + 1, result));
    }
  }

  private void complete(CompletableFuture<AgentResponse> result, AgentResponse response) {
    if (result.complete(response) && response instanceof AgentResponse.Reply) {
      replies.increment();
    }
  }

  private AgentResponse.Failure fail(OpenAiFailureKind kind, String detail) {
    failures.get(kind).increment();
    String reason = redactor.apply(kind.reason(detail));
    if (log.isDebugEnabled()) {
      log.debug(reason);
    }
    return new AgentResponse.Failure(reason);
  }

  private String describe(Throwable e) {
    return redactor.apply(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  // ---- one attempt ----

  /** One HTTP attempt. Succeeds with an outcome the breaker counts as success; fails with an AttemptFailure. */
  private Future<Outcome> send(Buffer body, int turn) {
    attempts.increment();
    Promise<Outcome> promise = Promise.promise();
    long timeout = config.requestTimeoutMillis();
    TrackingCodec codec = new TrackingCodec();
    HttpRequest<Buffer> request = client.postAbs(endpoint)
        .as(codec)
        .putHeader("content-type", "application/json")
        .putHeader("accept", "application/json")
        .idleTimeout(timeout);
    if (authorization != null) {
      request.putHeader("authorization", authorization);
    }
    long timer = vertx.setTimer(timeout, id -> promise.tryFail(new AttemptFailure(OpenAiFailureKind.TIMEOUT,
        "no complete response from " + endpoint + " within " + timeout + " ms", -1)));
    request.sendBuffer(body).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (promise.future().isComplete()) {
        return;
      }
      try {
        if (ar.succeeded()) {
          classify(ar.result(), turn, promise);
        } else {
          promise.tryFail(classify(ar.cause(), codec));
        }
      } catch (RuntimeException bug) {
        promise.tryComplete(new Outcome.Done(fail(OpenAiFailureKind.INTERNAL, describe(bug))));
      }
    });
    return promise.future();
  }

  private void classify(HttpResponse<Buffer> response, int turn, Promise<Outcome> promise) {
    int status = response.statusCode();
    Buffer buffer = response.body();
    byte[] bytes = buffer == null ? new byte[0] : buffer.getBytes();
    if (status >= 200 && status < 300) {
      ChatResponseDecoder.Decoded decoded = decoder.decode(bytes, turn);
      if (decoded.response() instanceof AgentResponse.Failure f) {
        OpenAiFailureKind.of(f.reason()).ifPresent(k -> failures.get(k).increment());
        if (log.isDebugEnabled()) {
          log.debug(f.reason());
        }
      } else if (decoded.traceMissing()) {
        repliesWithoutTrace.increment();
        if (warnedNoTokens.compareAndSet(false, true)) {
          log.warn(redactor.apply("openai endpoint " + endpoint + (decoded.traceMismatch()
              ? " returned token ids and log-probs of different lengths"
              : " returned no token ids" + (config.returnTokenIds() ? " or no log-probs" : " (returnTokenIds is off)"))
              + ": replies carry no token trace, and the learner will not train on them"));
        }
      }
      promise.tryComplete(new Outcome.Done(decoded.response()));
      return;
    }
    String excerpt = redactor.excerpt(new String(bytes, 0, Math.min(bytes.length, 8192),
        java.nio.charset.StandardCharsets.UTF_8), BODY_EXCERPT);
    String detail = "HTTP " + status + " from " + endpoint + (excerpt.isEmpty() ? "" : ": " + excerpt);
    long retryAfter = status == 429 || status == 503
        ? Backoff.retryAfterMillis(response.getHeader("retry-after"), Instant.now()) : -1;
    if (status == 429 || status == 408) {
      promise.tryComplete(new Outcome.Retry(OpenAiFailureKind.HTTP_STATUS, detail, retryAfter));
    } else if (status >= 500) {
      promise.tryFail(new AttemptFailure(OpenAiFailureKind.HTTP_STATUS, detail, retryAfter));
    } else {
      promise.tryComplete(new Outcome.Done(fail(OpenAiFailureKind.HTTP_STATUS, detail)));
    }
  }

  private AttemptFailure classify(Throwable error, TrackingCodec codec) {
    String message = redactor.excerpt(String.valueOf(error.getMessage()), 200);
    String name = error.getClass().getSimpleName();
    if (codec.started) {
      return new AttemptFailure(OpenAiFailureKind.TRUNCATED_BODY, "the response body from " + endpoint
          + " was cut off after " + codec.bytes + " bytes (" + name + ": " + message + ")", -1);
    }
    if (name.contains("Timeout") || message.toLowerCase(java.util.Locale.ROOT).contains("timeout")
        || message.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
      return new AttemptFailure(OpenAiFailureKind.TIMEOUT,
          "no complete response from " + endpoint + " within " + config.requestTimeoutMillis() + " ms", -1);
    }
    if (error instanceof ConnectException || error instanceof UnknownHostException) {
      return new AttemptFailure(OpenAiFailureKind.CONNECTION, "cannot connect to " + endpoint + " (" + name + ": "
          + message + ")", -1);
    }
    return new AttemptFailure(OpenAiFailureKind.CONNECTION, "the connection to " + endpoint
        + " failed before a response (" + name + ": " + message + ")", -1);
  }

  /** What one attempt led to, when the breaker should count it as a success. */
  private sealed interface Outcome {
    /** Final: a reply, or a failure that retrying will not fix. */
    record Done(AgentResponse response) implements Outcome {}

    /** Retry, without blaming the endpoint's health (429). */
    record Retry(OpenAiFailureKind kind, String detail, long retryAfterMillis) implements Outcome {}
  }

  /** An attempt that failed in a way the breaker counts and that is retried. No stack trace. */
  private static final class AttemptFailure extends RuntimeException {
    final OpenAiFailureKind kind;
    final String detail;
    final long retryAfterMillis;

    AttemptFailure(OpenAiFailureKind kind, String detail, long retryAfterMillis) {
      super(detail, null, false, false);
      this.kind = kind;
      this.detail = detail;
      this.retryAfterMillis = retryAfterMillis;
    }
  }

  /**
   * Buffers the body like {@link BodyCodec#buffer()} while noting that the response began and how many body
   * bytes arrived, which tells a truncated body from a connection that failed before any response.
   */
  private static final class TrackingCodec implements BodyCodec<Buffer> {
    volatile boolean started;
    volatile long bytes;

    @Override
    public BodyStream<Buffer> stream() throws Exception {
      started = true;
      BodyStream<Buffer> delegate = BodyCodec.buffer().stream();
      return new BodyStream<>() {
        @Override
        public Future<Buffer> result() {
          return delegate.result();
        }

        @Override
        public void handle(Throwable failure) {
          delegate.handle(failure);
        }

        @Override
        public BodyStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
          delegate.exceptionHandler(handler);
          return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
          bytes += data.length();
          return delegate.write(data);
        }

        @Override
        public Future<Void> end() {
          return delegate.end();
        }

        @Override
        public BodyStream<Buffer> setWriteQueueMaxSize(int maxSize) {
          delegate.setWriteQueueMaxSize(maxSize);
          return this;
        }

        @Override
        public boolean writeQueueFull() {
          return delegate.writeQueueFull();
        }

        @Override
        public BodyStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
          delegate.drainHandler(handler);
          return this;
        }
      };
    }
  }
}
