package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ludus.api.ConfigException;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The {@link ChatClient} of one OpenAI-compatible endpoint, over Vert.x's HTTP client: one connection pool,
 * one circuit breaker, one concurrency cap and one cache, whoever calls it.
 *
 * <p><b>Design note.</b> The connection pool is split into shards of at most {@link #SHARD_SIZE} connections (one
 * Vert.x HTTP client each), and each attempt goes to the shard with the fewest in flight: Vert.x scans a pool's every
 * connection per request. A request's body is written once ({@link ChatRequestEncoder}); then each attempt
 * takes a permit from the endpoint's concurrency cap (a queue, no thread held), passes through the endpoint's
 * circuit breaker, and is sent with a deadline of {@code requestTimeoutMillis}. Connection errors, timeouts,
 * truncated bodies and 5xx count as breaker failures and are retried; 429 (and 408) and a 2xx body that is not
 * JSON are retried but do not count (the server is alive, only busy or garbled); other 4xx and well-formed but
 * odd bodies are final at once. Retries wait an exponential backoff with full jitter, or the server's
 * {@code Retry-After} on 429/503 when longer. When {@code breakerMaxFailures} failures fall within 10 s without
 * a success in between, the breaker opens: nothing is sent for {@code breakerOpenMillis}, then one trial request
 * decides whether it closes again. Requests that meet the open circuit wait in a {@link BreakerGate} (up to
 * {@code breakerMaxWaitMillis} in all, without holding a concurrency permit) and go on when it half-opens (one,
 * as the trial) or closes (all, within the concurrency cap); only when the wait runs out, or no response ever
 * came from the endpoint (no server there: waiting would only delay the failure), do they fail with
 * {@code circuit-open}. A wait does not use up a retry. Deterministic requests (temperature 0 and a seed) go through a
 * Caffeine cache keyed by the request body, which also merges identical requests in flight; only completions
 * stay cached.
 *
 * <p>Failures are values, and the API key (read once, from the variable the endpoint names) never appears in
 * them or in logs. Thread-safety: thread-safe; {@link #complete} never blocks, and its stage completes on one
 * of the Vert.x instance's event loops. Life-cycle: the Vert.x instance is the caller's and is never closed
 * here; {@link #close()} is idempotent, answers pending requests with {@code closed}, and closes the
 * connection pool and the breaker.
 */
final class OpenAiChatClient implements ChatClient {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // log-probs: a served answer holds one per token
      .build();
  private static final int BODY_EXCERPT = 300;

  private final ChatEndpoint endpoint;
  private final Vertx vertx;
  /** The connection pool, in shards (see {@link #shards}); a request goes to the shard with the fewest in flight. */
  private final HttpClientAgent[] clients;
  private final AtomicIntegerArray inFlight;
  /** The options of every request (never changed after construction: shared). */
  private final RequestOptions requestOptions;
  private final CircuitBreaker breaker;
  private final BreakerGate gate;
  /** Whether any HTTP response (of any status) ever came from the endpoint. */
  private final AtomicBoolean reachable = new AtomicBoolean();
  private final ConcurrencyLimiter limiter;
  private final AsyncCache<String, ChatResult> cache;
  private final String url;
  private final String authorization;
  private final Redactor redactor;
  private final Logger log;
  private final ChatRequestEncoder encoder;
  private final ChatResponseDecoder decoder;
  private final Set<CompletableFuture<ChatResult>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warnedMismatch = new AtomicBoolean();
  private final LongAdder requests = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder completions = new LongAdder();
  private final LongAdder breakerOpenings = new LongAdder();
  private final Map<ChatFailureKind, LongAdder> failures = new EnumMap<>(ChatFailureKind.class);

  /**
   * A client of {@code endpoint} on {@code vertx}, reading the API key through {@code environment}. Throws
   * {@link ConfigException} when the endpoint requires a key and the variable is unset.
   */
  OpenAiChatClient(ChatEndpoint endpoint, Vertx vertx, Function<String, String> environment, Logger log) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.log = Objects.requireNonNull(log, "log");
    String key = endpoint.apiKeyEnv() == null ? null : environment.apply(endpoint.apiKeyEnv());
    key = key == null || key.isBlank() ? null : key.trim();
    if (key == null && endpoint.apiKeyRequired()) {
      throw new ConfigException("chat endpoint " + endpoint.baseUrl() + ": apiKeyRequired is true but the environment"
          + " variable " + endpoint.apiKeyEnv() + " is not set");
    }
    this.authorization = key == null ? null : "Bearer " + key;
    this.redactor = new Redactor(key);
    this.url = endpoint.chatCompletionsUrl();
    for (ChatFailureKind k : ChatFailureKind.values()) {
      failures.put(k, new LongAdder());
    }
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.min(endpoint.requestTimeoutMillis(), 30_000)));
    int k = shards(endpoint.maxConcurrency());
    this.clients = new HttpClientAgent[k];
    this.inFlight = new AtomicIntegerArray(k);
    for (int i = 0; i < k; i++) {
      clients[i] = vertx.createHttpClient(options, new PoolOptions()
          .setHttp1MaxSize((endpoint.maxConcurrency() + k - 1) / k).setMaxWaitQueueSize(-1));
    }
    MultiMap headers = HttpHeaders.headers()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT, "application/json")
        .add(HttpHeaders.USER_AGENT, "ludus-openai");
    if (authorization != null) {
      headers.add(HttpHeaders.AUTHORIZATION, authorization);
    }
    this.requestOptions = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setHeaders(headers)
        .setFollowRedirects(false);
    this.breaker = CircuitBreaker.create("chat:" + endpoint.baseUrl(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(endpoint.breakerMaxFailures())
        .setResetTimeout(endpoint.breakerOpenMillis())
        .setTimeout(-1)
        .setMaxRetries(0)
        .setNotificationAddress(null));
    BreakerGate g = new BreakerGate(vertx, breaker);
    this.gate = g;
    breaker.openHandler(v -> {
      g.opened();
      breakerOpenings.increment();
      log.warn(redactor.apply("chat endpoint " + url + ": circuit opened after " + endpoint.breakerMaxFailures()
          + " failures; sending nothing for " + endpoint.breakerOpenMillis() + " ms (requests wait up to "
          + endpoint.breakerMaxWaitMillis() + " ms)"));
    });
    breaker.halfOpenHandler(v -> {
      log.info(redactor.apply("chat endpoint " + url + ": circuit half-open; sending one trial request"));
      g.halfOpened();
    });
    breaker.closeHandler(v -> {
      log.info(redactor.apply("chat endpoint " + url + ": circuit closed"));
      g.closed();
    });
    this.limiter = new ConcurrencyLimiter(endpoint.maxConcurrency(), task -> vertx.runOnContext(v -> task.run()));
    this.cache = endpoint.cacheSize() > 0
        ? Caffeine.newBuilder().maximumSize(endpoint.cacheSize()).executor(Runnable::run).recordStats().buildAsync()
        : null;
    this.encoder = new ChatRequestEncoder(JSON, endpoint.model());
    this.decoder = new ChatResponseDecoder(JSON, redactor);
  }

  @Override
  public CompletionStage<ChatResult> complete(ChatRequest request) {
    requests.increment();
    try {
      if (closed.get()) {
        return CompletableFuture.completedFuture(count(failure(ChatFailureKind.CLOSED, "the client is closed", 0)));
      }
      byte[] body;
      try {
        body = encoder.encodeUtf8(request);
      } catch (IllegalArgumentException e) {
        return CompletableFuture.completedFuture(
            count(failure(ChatFailureKind.BAD_REQUEST, redactor.apply(e.getMessage()), 0)));
      }
      if (cache == null || !request.sampling().deterministic()) {
        return execute(body);
      }
      String key = new String(body, java.nio.charset.StandardCharsets.UTF_8);
      boolean[] loaded = new boolean[1];
      CompletableFuture<ChatResult> entry = cache.get(key, (k, executor) -> {
        loaded[0] = true;
        return execute(body);
      });
      if (loaded[0]) {
        // only completions stay cached: a failure removes its own entry (not a newer one)
        return entry.thenApply(r -> {
          if (r instanceof ChatResult.Failure) {
            cache.asMap().remove(key, entry);
          }
          return r;
        });
      }
      return entry.handle((r, error) -> r instanceof ChatResult.Completion c ? c.fromCache()
          : r instanceof ChatResult.Failure f ? new ChatResult.Failure(f.kind(), f.detail(), 0)
          : count(failure(ChatFailureKind.INTERNAL, describe(error), 0)));
    } catch (RuntimeException bug) {
      return CompletableFuture.completedFuture(count(failure(ChatFailureKind.INTERNAL, describe(bug), 0)));
    }
  }

  @Override
  public ChatEndpoint endpoint() {
    return endpoint;
  }

  /** What this client has done so far, and its cache and circuit now. */
  ChatClientStats stats() {
    Map<ChatFailureKind, Long> byKind = new EnumMap<>(ChatFailureKind.class);
    long total = 0;
    for (Map.Entry<ChatFailureKind, LongAdder> e : failures.entrySet()) {
      long v = e.getValue().sum();
      total += v;
      if (v > 0) {
        byKind.put(e.getKey(), v);
      }
    }
    ChatClientStats.Cache c;
    if (cache == null) {
      c = new ChatClientStats.Cache(0, 0, 0, 0, false);
    } else {
      var s = cache.synchronous().stats();
      c = new ChatClientStats.Cache(s.hitCount(), s.missCount(), s.evictionCount(),
          cache.synchronous().estimatedSize(), true);
    }
    return new ChatClientStats(endpoint, requests.sum(), attempts.sum(), retries.sum(), completions.sum(), total,
        byKind, limiter.maxObserved(), c, breaker.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        breakerOpenings.sum(), gate.parked(), gate.maxWaiting());
  }

  /** The most requests this client had in flight at once. */
  int maxInFlight() {
    return limiter.maxObserved();
  }

  /** The cache's evictions and size now (zeros without a cache). */
  long[] cacheEvictionsAndSize() {
    if (cache == null) {
      return new long[2];
    }
    return new long[] {cache.synchronous().stats().evictionCount(), cache.synchronous().estimatedSize()};
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CompletableFuture<ChatResult> f : pending) {
      complete(f, failure(ChatFailureKind.CLOSED, "the client was closed before the server answered", 0));
    }
    gate.expireAll();
    breaker.close();
    for (HttpClientAgent c : clients) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "ChatClient[" + url + ", model " + endpoint.model() + "]";
  }

  // ---- one request: attempts, retries, outcome ----

  private CompletableFuture<ChatResult> execute(byte[] body) {
    CompletableFuture<ChatResult> result = new CompletableFuture<>();
    // leaves the set in complete(), which every attempt ends in (its deadline sees to that)
    pending.add(result);
    if (closed.get()) {
      complete(result, failure(ChatFailureKind.CLOSED, "the client is closed", 0));
      return result;
    }
    attempt(Buffer.buffer(body), 1, -1, result);
    return result;
  }

  /**
   * Attempt number {@code attempt} of a request; {@code waitingSince} is when it first waited for an open
   * circuit ({@link System#nanoTime()}), or -1.
   */
  private void attempt(Buffer body, int attempt, long waitingSince, CompletableFuture<ChatResult> result) {
    if (result.isDone()) {
      return;
    }
    if (closed.get()) {
      complete(result, failure(ChatFailureKind.CLOSED, "the client was closed before the server answered",
          attempt - 1));
      return;
    }
    limiter.acquire(() -> {
      Future<Outcome> outcome;
      int[] shard = {-1}; // the pool shard send() used; none when the breaker sent nothing
      try {
        outcome = breaker.execute(() -> send(body, shard));
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(ar -> {
        if (shard[0] >= 0) {
          inFlight.decrementAndGet(shard[0]);
        }
        limiter.release();
        try {
          if (ar.succeeded()) {
            handle(ar.result(), body, attempt, waitingSince, result);
          } else {
            handle(ar.cause(), body, attempt, waitingSince, result);
          }
        } catch (RuntimeException bug) {
          complete(result, failure(ChatFailureKind.INTERNAL, describe(bug), attempt));
        }
      });
    });
  }

  private void handle(Outcome outcome, Buffer body, int attempt, long waitingSince,
      CompletableFuture<ChatResult> result) {
    if (outcome instanceof Outcome.Done done) {
      if (done.decoded() instanceof ChatResponseDecoder.Decoded.Ok ok) {
        complete(result, new ChatResult.Completion(ok.choices(), ok.usage(), attempt, false));
      } else {
        ChatResponseDecoder.Decoded.Bad bad = (ChatResponseDecoder.Decoded.Bad) done.decoded();
        complete(result, failure(bad.kind(), bad.detail(), attempt));
      }
    } else if (outcome instanceof Outcome.Retry retry) {
      retryOrFail(retry.kind(), retry.detail(), retry.retryAfterMillis(), body, attempt, waitingSince, result);
    }
  }

  private void handle(Throwable error, Buffer body, int attempt, long waitingSince,
      CompletableFuture<ChatResult> result) {
    if (error instanceof OpenCircuitException) {
      waitOrFail(body, attempt, waitingSince, result);
    } else if (error instanceof AttemptFailure f) {
      retryOrFail(f.kind, f.detail, f.retryAfterMillis, body, attempt, waitingSince, result);
    } else {
      complete(result, failure(ChatFailureKind.INTERNAL, describe(error), attempt));
    }
  }

  /**
   * The circuit is open: waits at the gate for it to half-open or close, then makes the same attempt again;
   * fails with {@code circuit-open} when the wait runs out, waiting is off ({@code breakerMaxWaitMillis} 0), or
   * no response ever came from the endpoint.
   */
  private void waitOrFail(Buffer body, int attempt, long waitingSince, CompletableFuture<ChatResult> result) {
    long maxWait = endpoint.breakerMaxWaitMillis();
    long since = waitingSince < 0 ? System.nanoTime() : waitingSince;
    long waited = (System.nanoTime() - since) / 1_000_000;
    String base = "endpoint " + url + " failed repeatedly; the circuit breaker is open (opens after "
        + endpoint.breakerMaxFailures() + " failures, stays open " + endpoint.breakerOpenMillis()
        + " ms before a trial request)";
    String earlier = attempt > 1 ? "; " + (attempt - 1) + " earlier attempts failed" : "";
    if (maxWait == 0 || !reachable.get() || waited >= maxWait) {
      String why = maxWait == 0 ? "; breakerMaxWaitMillis is 0, so requests do not wait"
          : !reachable.get() ? "; failing fast: no response ever came from the endpoint (is the server running?)"
          : "; waited " + waited + " ms for it, the most breakerMaxWaitMillis allows";
      complete(result, failure(ChatFailureKind.CIRCUIT_OPEN, base + why + earlier, attempt - 1));
      return;
    }
    gate.park(maxWait - waited, () -> attempt(body, attempt, since, result), () -> complete(result,
        failure(ChatFailureKind.CIRCUIT_OPEN, base + "; waited " + (System.nanoTime() - since) / 1_000_000
            + " ms for it, the most breakerMaxWaitMillis allows" + earlier, attempt - 1)));
  }

  private void retryOrFail(ChatFailureKind kind, String detail, long retryAfterMillis, Buffer body, int attempt,
      long waitingSince, CompletableFuture<ChatResult> result) {
    if (attempt > endpoint.maxRetries()) {
      complete(result, failure(kind, detail + "; gave up after " + attempt
          + (attempt == 1 ? " attempt" : " attempts"), attempt));
      return;
    }
    if (retryAfterMillis > endpoint.maxRetryAfterMillis()) {
      complete(result, failure(ChatFailureKind.RETRY_AFTER_TOO_LONG, detail + "; the server asked to retry after "
          + retryAfterMillis + " ms, more than maxRetryAfterMillis " + endpoint.maxRetryAfterMillis(), attempt));
      return;
    }
    long delay = Math.max(retryAfterMillis, Backoff.fullJitter(attempt, endpoint.backoffBaseMillis(),
        endpoint.backoffMaxMillis()));
    retries.increment();
    if (log.isDebugEnabled()) {
      log.debug(redactor.apply("chat endpoint " + url + ": attempt " + attempt + " failed (" + kind.tag() + ": "
          + detail + "); retrying in " + delay + " ms"));
    }
    if (delay <= 0) {
      vertx.runOnContext(v -> attempt(body, attempt + 1, waitingSince, result));
    } else {
      vertx.setTimer(delay, t -> attempt(body, attempt + 1, waitingSince, result));
    }
  }

  /** Completes {@code result}, counting {@code r} first so that whoever waits on it sees the counters. */
  private void complete(CompletableFuture<ChatResult> result, ChatResult r) {
    pending.remove(result);
    if (result.isDone()) {
      return;
    }
    count(r);
    if (!result.complete(r)) {
      // lost a race (close() against the answer): the other outcome was counted
      (r instanceof ChatResult.Failure f ? failures.get(f.kind()) : completions).decrement();
    }
  }

  private ChatResult count(ChatResult r) {
    if (r instanceof ChatResult.Failure f) {
      failures.get(f.kind()).increment();
      if (log.isDebugEnabled()) {
        log.debug(redactor.apply("chat endpoint " + url + ": " + f.reason()));
      }
    } else {
      completions.increment();
    }
    return r;
  }

  private ChatResult.Failure failure(ChatFailureKind kind, String detail, int attempts) {
    return new ChatResult.Failure(kind, redactor.apply(detail), attempts);
  }

  private String describe(Throwable e) {
    if (e == null) {
      return "no result and no error";
    }
    return redactor.apply(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  // ---- one attempt ----

  /** Connections per shard of the pool at most (a pool of this size or less is one shard). */
  static final int SHARD_SIZE = 128;

  /**
   * How many shards a pool of {@code maxConcurrency} connections is split into: Vert.x's pool scans every connection
   * it holds to choose one for each request, which at 1,000 connections costs about a tenth of the client's CPU; in
   * shards of at most {@link #SHARD_SIZE} each scan is that much shorter. At most 16.
   */
  static int shards(int maxConcurrency) {
    return Math.max(1, Math.min(16, (maxConcurrency + SHARD_SIZE - 1) / SHARD_SIZE));
  }

  /**
   * The shard with the fewest requests in flight. Since the concurrency cap keeps the total within the pools' sizes
   * together, that shard has a free connection (up to races between event loops, which only queue a request briefly).
   */
  private int shard() {
    int best = 0;
    int least = inFlight.get(0);
    for (int i = 1; i < clients.length && least > 0; i++) {
      int v = inFlight.get(i);
      if (v < least) {
        best = i;
        least = v;
      }
    }
    return best;
  }

  /**
   * One HTTP attempt. Succeeds with an outcome the breaker counts as success; fails with an AttemptFailure. On the
   * raw Vert.x HTTP client (a pooled keep-alive connection, the body gathered as it arrives), with one timer as the
   * attempt's deadline, which resets the request (freeing its connection) when it fires.
   */
  private Future<Outcome> send(Buffer body, int[] usedShard) {
    attempts.increment();
    Promise<Outcome> promise = Promise.promise();
    long timeout = endpoint.requestTimeoutMillis();
    Attempt at = new Attempt();
    long timer = vertx.setTimer(timeout, id -> {
      if (promise.tryFail(new AttemptFailure(ChatFailureKind.TIMEOUT,
          "no complete response from " + url + " within " + timeout + " ms", -1)) && at.request != null) {
        at.request.reset();
      }
    });
    int shard = shard();
    inFlight.incrementAndGet(shard);
    usedShard[0] = shard; // given back when the breaker passes the outcome on (see attempt)
    clients[shard].request(requestOptions).onComplete(ar -> {
      if (ar.failed()) {
        fail(promise, timer, classify(ar.cause(), at));
        return;
      }
      HttpClientRequest request = ar.result();
      at.request = request;
      if (promise.future().isComplete()) {
        request.reset();
        return;
      }
      request.send(body).onComplete(rr -> {
        if (rr.failed()) {
          fail(promise, timer, classify(rr.cause(), at));
          return;
        }
        HttpClientResponse response = rr.result();
        at.started = true;
        reachable.set(true);
        Body gathered = new Body(response.getHeader(HttpHeaders.CONTENT_LENGTH));
        response.handler(chunk -> {
          at.bytes += chunk.length();
          gathered.append(chunk);
        });
        response.exceptionHandler(error -> fail(promise, timer, classify(error, at)));
        response.endHandler(v -> {
          vertx.cancelTimer(timer);
          if (promise.future().isComplete()) {
            return;
          }
          try {
            classify(response, gathered, promise);
          } catch (RuntimeException bug) {
            promise.tryComplete(new Outcome.Done(new ChatResponseDecoder.Decoded.Bad(ChatFailureKind.INTERNAL,
                describe(bug))));
          }
        });
      });
    });
    return promise.future();
  }

  private void fail(Promise<Outcome> promise, long timer, AttemptFailure failure) {
    vertx.cancelTimer(timer);
    promise.tryFail(failure);
  }

  /**
   * A response body as it arrives, copied once from each chunk into one array (sized by {@code Content-Length} when
   * the server sends one), which the decoder then reads in place. Used on one event loop only.
   */
  private static final class Body {
    /** The most bytes a {@code Content-Length} makes it allocate at once (a larger body grows as it comes). */
    private static final int MAX_PRESIZE = 1 << 20;

    byte[] bytes;
    int length;

    Body(String contentLength) {
      int size = 1024;
      if (contentLength != null) {
        try {
          size = (int) Math.max(16, Math.min(MAX_PRESIZE, Long.parseLong(contentLength.trim())));
        } catch (NumberFormatException e) {
          // not a number: grow as it comes
        }
      }
      this.bytes = new byte[size];
    }

    void append(Buffer chunk) {
      int n = chunk.length();
      if (length + n > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
      }
      chunk.getBytes(0, n, bytes, length);
      length += n;
    }
  }

  /** What one attempt got so far: its request once made, whether a response began and how many body bytes came. */
  private static final class Attempt {
    HttpClientRequest request;
    boolean started;
    long bytes;
  }

  private void classify(HttpClientResponse response, Body body, Promise<Outcome> promise) {
    int status = response.statusCode();
    byte[] bytes = body.bytes;
    if (status >= 200 && status < 300) {
      ChatResponseDecoder.Decoded decoded = decoder.decode(bytes, 0, body.length);
      if (decoded instanceof ChatResponseDecoder.Decoded.Bad bad && bad.kind() == ChatFailureKind.MALFORMED_JSON) {
        // a garbled body from a live server (a proxy cut, a serving bug): retried, not held against its health
        promise.tryComplete(new Outcome.Retry(ChatFailureKind.MALFORMED_JSON, bad.detail(), -1));
        return;
      }
      if (decoded instanceof ChatResponseDecoder.Decoded.Ok ok && ok.traceMismatch()
          && warnedMismatch.compareAndSet(false, true)) {
        log.warn(redactor.apply("chat endpoint " + url + " returned token ids and log-probs of different lengths:"
            + " such choices carry no token trace"));
      }
      promise.tryComplete(new Outcome.Done(decoded));
      return;
    }
    String excerpt = redactor.excerpt(new String(bytes, 0, Math.min(body.length, 8192),
        java.nio.charset.StandardCharsets.UTF_8), BODY_EXCERPT);
    String detail = "HTTP " + status + " from " + url + (excerpt.isEmpty() ? "" : ": " + excerpt);
    long retryAfter = status == 429 || status == 503
        ? Backoff.retryAfterMillis(response.getHeader("retry-after"), Instant.now()) : -1;
    if (status == 429 || status == 408) {
      promise.tryComplete(new Outcome.Retry(ChatFailureKind.HTTP_STATUS, detail, retryAfter));
    } else if (status >= 500) {
      promise.tryFail(new AttemptFailure(ChatFailureKind.HTTP_STATUS, detail, retryAfter));
    } else {
      promise.tryComplete(new Outcome.Done(new ChatResponseDecoder.Decoded.Bad(ChatFailureKind.HTTP_STATUS, detail)));
    }
  }

  private AttemptFailure classify(Throwable error, Attempt codec) {
    String message = redactor.excerpt(String.valueOf(error.getMessage()), 200);
    String name = error.getClass().getSimpleName();
    if (codec.started) {
      return new AttemptFailure(ChatFailureKind.TRUNCATED_BODY, "the response body from " + url
          + " was cut off after " + codec.bytes + " bytes (" + name + ": " + message + ")", -1);
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (name.contains("Timeout") || lower.contains("timeout") || lower.contains("timed out")) {
      return new AttemptFailure(ChatFailureKind.TIMEOUT,
          "no complete response from " + url + " within " + endpoint.requestTimeoutMillis() + " ms", -1);
    }
    if (error instanceof ConnectException || error instanceof UnknownHostException) {
      return new AttemptFailure(ChatFailureKind.CONNECTION, "cannot connect to " + url + " (" + name + ": "
          + message + ")", -1);
    }
    return new AttemptFailure(ChatFailureKind.CONNECTION, "the connection to " + url
        + " failed before a response (" + name + ": " + message + ")", -1);
  }

  /** What one attempt led to, when the breaker should count it as a success. */
  private sealed interface Outcome {
    /** Final: a completion, or a failure that retrying will not fix. */
    record Done(ChatResponseDecoder.Decoded decoded) implements Outcome {}

    /** Retry, without blaming the endpoint's health (408, 429, a 2xx body that is not JSON). */
    record Retry(ChatFailureKind kind, String detail, long retryAfterMillis) implements Outcome {}
  }

  /** An attempt that failed in a way the breaker counts and that is retried. No stack trace. */
  private static final class AttemptFailure extends RuntimeException {
    final ChatFailureKind kind;
    final String detail;
    final long retryAfterMillis;

    AttemptFailure(ChatFailureKind kind, String detail, long retryAfterMillis) {
      super(detail, null, false, false);
      this.kind = kind;
      this.detail = detail;
      this.retryAfterMillis = retryAfterMillis;
    }
  }
}
