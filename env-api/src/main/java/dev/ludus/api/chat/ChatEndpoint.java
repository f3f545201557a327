package dev.ludus.api.chat;

import dev.ludus.api.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where an OpenAI-compatible chat-completions endpoint is, and the limits its client keeps. Two equal
 * endpoints are one endpoint: a pool hands out one client (one breaker, one concurrency cap, one cache) for
 * them. Every field has a default ({@link #defaults()}); the constructor rejects a bad value with a {@link
 * ConfigException} naming the field, the value and what is allowed. Immutable and thread-safe.
 *
 * <p>The API key is never part of it: {@code apiKeyEnv} names the environment variable that holds it, so the
 * key stays out of configuration files, logs and failure reasons.
 *
 * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8000/v1}; requests go to
 *     {@code {baseUrl}/chat/completions}. A trailing slash is dropped
 * @param model the model name the server serves (vLLM's {@code --served-model-name})
 * @param apiKeyEnv the NAME of the environment variable holding the API key, or null (blank) for none; when
 *     the variable is unset no {@code Authorization} header is sent
 * @param apiKeyRequired refuse to create a client when the variable named by {@code apiKeyEnv} is unset
 * @param requestTimeoutMillis how long one attempt may take, >= 1 (default 60 s: below the runtime's default turn
 *     timeout of 300 s, so that a hung request is cut and retried within its turn)
 * @param maxRetries retries after the first attempt on connection errors, timeouts, truncated bodies, 408,
 *     429 and 5xx, 0..100
 * @param backoffBaseMillis the first retry's backoff cap; it doubles each retry (full jitter), >= 0
 * @param backoffMaxMillis the largest backoff cap, >= backoffBaseMillis
 * @param maxRetryAfterMillis the longest {@code Retry-After} honoured; a longer one fails at once, >= 0
 * @param breakerMaxFailures failures (within 10 s, reset by any success) that open the circuit, >= 1
 * @param breakerOpenMillis how long the circuit stays open before one trial request, >= 1
 * @param breakerMaxWaitMillis how long, in all, a request may wait for an open circuit before it fails with
 *     {@code circuit-open}, >= 0 (default 120 s; 0 fails at once, as a plain breaker does). While the circuit is
 *     open nothing is sent; when it half-opens one waiting request is the trial, and when it closes the waiting
 *     requests go on (still within {@code maxConcurrency}). While no response at all (of any status) has ever
 *     come from the endpoint, requests fail fast instead: no server is there, and waiting would only delay that
 * @param maxConcurrency the most requests in flight to this endpoint; more wait in a queue, >= 1
 * @param cacheSize the most cached completions of deterministic requests (temperature 0 and a seed); 0 turns
 *     the cache off, >= 0
 */
public record ChatEndpoint(
    String baseUrl,
    String model,
    String apiKeyEnv,
    boolean apiKeyRequired,
    long requestTimeoutMillis,
    int maxRetries,
    long backoffBaseMillis,
    long backoffMaxMillis,
    long maxRetryAfterMillis,
    int breakerMaxFailures,
    long breakerOpenMillis,
    long breakerMaxWaitMillis,
    int maxConcurrency,
    long cacheSize) {

  public ChatEndpoint {
    baseUrl = checkBaseUrl(baseUrl);
    if (model == null || model.isBlank()) {
      throw bad("model", model, "the model name the server serves, e.g. Qwen/Qwen2.5-1.5B-Instruct");
    }
    apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? null : apiKeyEnv.trim();
    if (apiKeyEnv != null && !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw bad("apiKeyEnv", apiKeyEnv, "the NAME of an environment variable (letters, digits, _), never the key itself");
    }
    if (apiKeyRequired && apiKeyEnv == null) {
      throw bad("apiKeyEnv", "", "a variable name when apiKeyRequired is true");
    }
    if (requestTimeoutMillis < 1) {
      throw bad("requestTimeoutMillis", requestTimeoutMillis, "an integer >= 1");
    }
    if (maxRetries < 0 || maxRetries > 100) {
      throw bad("maxRetries", maxRetries, "an integer in 0..100");
    }
    if (backoffBaseMillis < 0) {
      throw bad("backoffBaseMillis", backoffBaseMillis, "an integer >= 0");
    }
    if (backoffMaxMillis < backoffBaseMillis) {
      throw bad("backoffMaxMillis", backoffMaxMillis, "an integer >= backoffBaseMillis (" + backoffBaseMillis + ")");
    }
    if (maxRetryAfterMillis < 0) {
      throw bad("maxRetryAfterMillis", maxRetryAfterMillis, "an integer >= 0");
    }
    if (breakerMaxFailures < 1) {
      throw bad("breakerMaxFailures", breakerMaxFailures, "an integer >= 1");
    }
    if (breakerOpenMillis < 1) {
      throw bad("breakerOpenMillis", breakerOpenMillis, "an integer >= 1");
    }
    if (breakerMaxWaitMillis < 0) {
      throw bad("breakerMaxWaitMillis", breakerMaxWaitMillis, "an integer >= 0 (0 fails at once while the circuit is open)");
    }
    if (maxConcurrency < 1) {
      throw bad("maxConcurrency", maxConcurrency, "an integer >= 1");
    }
    if (cacheSize < 0) {
      throw bad("cacheSize", cacheSize, "an integer >= 0 (0 turns the cache off)");
    }
  }

  /** The defaults: a local vLLM on port 8000 serving {@code default}, key from {@code OPENAI_API_KEY} if set. */
  public static ChatEndpoint defaults() {
    return new Builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this endpoint. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@code {baseUrl}/chat/completions}. */
  public String chatCompletionsUrl() {
    return baseUrl + "/chat/completions";
  }

  private static String checkBaseUrl(String url) {
    String allowed = "an http(s) URL of the API root, e.g. http://127.0.0.1:8000/v1";
    if (url == null || url.isBlank()) {
      throw bad("baseUrl", url, allowed);
    }
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = new URI(u);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
          || uri.getUserInfo() != null) {
        throw bad("baseUrl", url, allowed + " (no query, fragment or credentials)");
      }
    } catch (URISyntaxException e) {
      throw bad("baseUrl", url, allowed);
    }
    return u;
  }

  private static ConfigException bad(String field, Object value, String allowed) {
    return new ConfigException("chat endpoint: " + field + " cannot be '" + value + "'; it takes " + allowed);
  }

  /** Builds a {@link ChatEndpoint}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    private String baseUrl = "http://127.0.0.1:8000/v1";
    private String model = "default";
    private String apiKeyEnv = "OPENAI_API_KEY";
    private boolean apiKeyRequired;
    private long requestTimeoutMillis = 60_000;
    private int maxRetries = 5;
    private long backoffBaseMillis = 250;
    private long backoffMaxMillis = 10_000;
    private long maxRetryAfterMillis = 60_000;
    private int breakerMaxFailures = 5;
    private long breakerOpenMillis = 10_000;
    private long breakerMaxWaitMillis = 120_000;
    private int maxConcurrency = 256;
    private long cacheSize = 10_000;

    private Builder() {}

    private Builder(ChatEndpoint e) {
      baseUrl = e.baseUrl();
      model = e.model();
      apiKeyEnv = e.apiKeyEnv();
      apiKeyRequired = e.apiKeyRequired();
      requestTimeoutMillis = e.requestTimeoutMillis();
      maxRetries = e.maxRetries();
      backoffBaseMillis = e.backoffBaseMillis();
      backoffMaxMillis = e.backoffMaxMillis();
      maxRetryAfterMillis = e.maxRetryAfterMillis();
      breakerMaxFailures = e.breakerMaxFailures();
      breakerOpenMillis = e.breakerOpenMillis();
      breakerMaxWaitMillis = e.breakerMaxWaitMillis();
      maxConcurrency = e.maxConcurrency();
      cacheSize = e.cacheSize();
    }

    public Builder baseUrl(String v) { baseUrl = v; return this; }
    public Builder model(String v) { model = v; return this; }
    public Builder apiKeyEnv(String v) { apiKeyEnv = v; return this; }
    public Builder apiKeyRequired(boolean v) { apiKeyRequired = v; return this; }
    public Builder requestTimeoutMillis(long v) { requestTimeoutMillis = v; return this; }
    public Builder maxRetries(int v) { maxRetries = v; return this; }
    public Builder backoffBaseMillis(long v) { backoffBaseMillis = v; return this; }
    public Builder backoffMaxMillis(long v) { backoffMaxMillis = v; return this; }
    public Builder maxRetryAfterMillis(long v) { maxRetryAfterMillis = v; return this; }
    public Builder breakerMaxFailures(int v) { breakerMaxFailures = v; return this; }
    public Builder breakerOpenMillis(long v) { breakerOpenMillis = v; return this; }
    public Builder breakerMaxWaitMillis(long v) { breakerMaxWaitMillis = v; return this; }
    public Builder maxConcurrency(int v) { maxConcurrency = v; return this; }
    public Builder cacheSize(long v) { cacheSize = v; return this; }

    /** The endpoint; throws {@link ConfigException} naming a bad field. */
    public ChatEndpoint build() {
      return new ChatEndpoint(baseUrl, model, apiKeyEnv, apiKeyRequired, requestTimeoutMillis, maxRetries,
          backoffBaseMillis, backoffMaxMillis, maxRetryAfterMillis, breakerMaxFailures, breakerOpenMillis,
          breakerMaxWaitMillis, maxConcurrency, cacheSize);
    }
  }
}
