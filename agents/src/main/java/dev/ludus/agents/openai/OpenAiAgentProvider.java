package dev.ludus.agents.openai;

import dev.ludus.agents.toolcalls.TextToolCalls;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.PluginContext;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.Sampling;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * {@code openai}: a model behind an OpenAI-compatible chat-completions endpoint (vLLM, SGLang, llama.cpp,
 * OpenAI itself), through the endpoint's chat client (Vert.x's HTTP client, with retries, a circuit breaker, a
 * concurrency cap and a cache for deterministic requests). See {@link OpenAiAgent} for the behaviour and the
 * failure reasons, and {@link ChatClientPool} for sharing one client per endpoint.
 *
 * <p>The API key is never configured directly: {@code apiKeyEnv} names the environment variable that holds
 * it, so the key stays out of configuration files, logs, failure reasons and episode files. Stateless and
 * thread-safe.
 */
public final class OpenAiAgentProvider implements AgentProvider<OpenAiAgentProvider.Config> {
  private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");
  private static final Set<String> TEXT_TOOL_CALLS = Set.of("none", "hermes", "json");
  private static final Set<String> INVALID_TOOL_ARGUMENTS = Set.of("fail", "pass");

  private final Function<String, String> environment;

  /** Reads the API key from the process environment. */
  public OpenAiAgentProvider() {
    this(System::getenv);
  }

  /** Reads environment variables through {@code environment} (a seam for tests: Java cannot set them). */
  OpenAiAgentProvider(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * The {@code openai} backend's configuration. Every field has a default ({@link #defaults()}); the
   * constructor rejects bad values naming the field, the value and what is allowed.
   *
   * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8000/v1}; requests go to
   *     {@code {baseUrl}/chat/completions}
   * @param model the model name the server serves (vLLM's {@code --served-model-name})
   * @param apiKeyEnv the NAME of the environment variable holding the API key (default
   *     {@code OPENAI_API_KEY}); blank or null for none. When the variable is unset, no
   *     {@code Authorization} header is sent
   * @param apiKeyRequired refuse to create the agent when the variable named by {@code apiKeyEnv} is unset
   * @param temperature sampling temperature, 0..2 (default 1: sample from the policy itself)
   * @param topP nucleus sampling mass, (0, 1]
   * @param maxTokens the most tokens to generate per turn ({@code max_tokens}), >= 1
   * @param stop stop sequences (empty for none)
   * @param seed the sampling seed sent to the server, or null for none
   * @param n completions per request (only the first becomes the reply), 1..128
   * @param logprobs ask for the log-prob of each generated token
   * @param topLogprobs how many alternatives per token to ask for, 0..20 (needs {@code logprobs})
   * @param toolChoice {@code auto}, {@code none} or {@code required}; sent only when the turn offers tools
   * @param returnTokenIds vLLM only: ask for the exact prompt and output token ids ({@code return_token_ids},
   *     and {@code return_tokens_as_token_ids} with log-probs); without them replies carry no
   *     {@link dev.ludus.api.TokenTrace}. Off by default because other servers reject unknown fields
   * @param textToolCalls how to read tool calls a model writes in its text: {@code none} (the default: the server
   *     parses them, e.g. {@code vllm --tool-call-parser}), or {@code hermes} / {@code json} (read by {@link
   *     TextToolCalls} into native tool calls when the server returned none); see {@link TextToolCalls.Format}
   * @param invalidToolArguments what to do with a tool call whose arguments are not a JSON object, or a text
   *     call that breaks the turn's tool schemas: {@code fail} (the default) the turn with reason {@code
   *     openai/invalid-tool-arguments}, or {@code pass} it on verbatim for the environment and shapers to judge;
   *     see {@link TextToolCalls.OnInvalid}
   * @param requestTimeoutMillis how long one attempt may take, >= 1
   * @param maxRetries retries after the first attempt on connection errors, timeouts, truncated bodies, 429
   *     and 5xx, 0..100
   * @param backoffBaseMillis the first retry's backoff cap; it doubles each retry (full jitter), >= 0
   * @param backoffMaxMillis the largest backoff cap, >= backoffBaseMillis
   * @param maxRetryAfterMillis the longest {@code Retry-After} honoured; a longer one fails the turn at once
   * @param breakerMaxFailures failures (within 10 s, reset by any success) that open the circuit, >= 1
   * @param breakerOpenMillis how long the circuit stays open before one trial request, >= 1
   * @param breakerMaxWaitMillis how long a turn may wait, in all, for an open circuit before it fails with
   *     {@code openai/circuit-open}, >= 0 (0: at once); see {@link ChatEndpoint}
   * @param maxConcurrency the most requests in flight to this endpoint; more wait in a queue, >= 1
   * @param cacheSize the most cached replies to deterministic requests (temperature 0 and a seed); 0 turns
   *     the cache off
   */
  public record Config(
      String baseUrl,
      String model,
      String apiKeyEnv,
      boolean apiKeyRequired,
      double temperature,
      double topP,
      int maxTokens,
      List<String> stop,
      Long seed,
      int n,
      boolean logprobs,
      int topLogprobs,
      String toolChoice,
      boolean returnTokenIds,
      TextToolCalls.Format textToolCalls,
      TextToolCalls.OnInvalid invalidToolArguments,
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

    public Config {
      // the transport's and the sampling's fields are checked by their own records, named as here
      ChatEndpoint endpoint;
      try {
        endpoint = new ChatEndpoint(baseUrl, model, apiKeyEnv, apiKeyRequired, requestTimeoutMillis, maxRetries,
            backoffBaseMillis, backoffMaxMillis, maxRetryAfterMillis, breakerMaxFailures, breakerOpenMillis,
            breakerMaxWaitMillis, maxConcurrency, cacheSize);
      } catch (ConfigException e) {
        throw restated(e, "chat endpoint: ");
      }
      baseUrl = endpoint.baseUrl();
      apiKeyEnv = endpoint.apiKeyEnv();
      Sampling sampling;
      try {
        sampling = new Sampling(temperature, topP, maxTokens, stop, seed, n, logprobs, topLogprobs, returnTokenIds);
      } catch (IllegalArgumentException e) {
        throw restated(e, "sampling: ");
      }
      stop = sampling.stop();
      toolChoice = oneOf("toolChoice", toolChoice == null ? "auto" : toolChoice, TOOL_CHOICES);
      textToolCalls = textToolCalls == null ? TextToolCalls.Format.NONE : textToolCalls;
      invalidToolArguments = invalidToolArguments == null ? TextToolCalls.OnInvalid.FAIL : invalidToolArguments;
    }

    /**
     * The transport part of this configuration: where the server is and the limits of its client. Agents
     * (and simulated users and judges) with equal endpoints share one client in a {@link ChatClientPool}.
     */
    public ChatEndpoint endpoint() {
      return new ChatEndpoint(baseUrl, model, apiKeyEnv, apiKeyRequired, requestTimeoutMillis, maxRetries,
          backoffBaseMillis, backoffMaxMillis, maxRetryAfterMillis, breakerMaxFailures, breakerOpenMillis,
          breakerMaxWaitMillis, maxConcurrency, cacheSize);
    }

    /** How the agent samples each turn. */
    public Sampling sampling() {
      return new Sampling(temperature, topP, maxTokens, stop, seed, n, logprobs, topLogprobs, returnTokenIds);
    }

    /** The defaults: a local vLLM on port 8000, sampling at temperature 1 with log-probs. */
    public static Config defaults() {
      return new Builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
      if (!allowed.contains(value)) {
        throw bad(field, value, "one of " + String.join(", ", allowed.stream().sorted().toList()));
      }
      return value;
    }

    /** A check of {@link ChatEndpoint} or {@link Sampling}, restated as this configuration's. */
    private static IllegalArgumentException restated(RuntimeException e, String prefix) {
      String m = e.getMessage();
      return new IllegalArgumentException("openai config: " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m), e);
    }

    private static IllegalArgumentException bad(String field, Object value, String allowed) {
      return new IllegalArgumentException(
          "openai config: " + field + " cannot be '" + value + "'; it takes " + allowed);
    }
  }

  /** Builds a {@link Config}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    // the transport's fields, whose defaults are ChatEndpoint's
    private String baseUrl;
    private String model;
    private String apiKeyEnv;
    private boolean apiKeyRequired;
    private long requestTimeoutMillis;
    private int maxRetries;
    private long backoffBaseMillis;
    private long backoffMaxMillis;
    private long maxRetryAfterMillis;
    private int breakerMaxFailures;
    private long breakerOpenMillis;
    private long breakerMaxWaitMillis;
    private int maxConcurrency;
    private long cacheSize;
    // the agent's own
    private double temperature = 1.0;
    private double topP = 1.0;
    private int maxTokens = 1024;
    private List<String> stop = List.of();
    private Long seed;
    private int n = 1;
    private boolean logprobs = true;
    private int topLogprobs;
    private String toolChoice = "auto";
    private boolean returnTokenIds;
    private String textToolCalls = "none";
    private String invalidToolArguments = "fail";

    private Builder() {
      endpoint(ChatEndpoint.defaults());
    }

    private Builder(Config c) {
      endpoint(c.endpoint());
      temperature = c.temperature();
      topP = c.topP();
      maxTokens = c.maxTokens();
      stop = c.stop();
      seed = c.seed();
      n = c.n();
      logprobs = c.logprobs();
      topLogprobs = c.topLogprobs();
      toolChoice = c.toolChoice();
      returnTokenIds = c.returnTokenIds();
      textToolCalls = c.textToolCalls().option();
      invalidToolArguments = c.invalidToolArguments().option();
    }

    /** Every transport field from {@code e}: where the server is and the limits of its client. */
    public Builder endpoint(ChatEndpoint e) {
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
      return this;
    }

    public Builder baseUrl(String v) { baseUrl = v; return this; }
    public Builder model(String v) { model = v; return this; }
    public Builder apiKeyEnv(String v) { apiKeyEnv = v; return this; }
    public Builder apiKeyRequired(boolean v) { apiKeyRequired = v; return this; }
    public Builder temperature(double v) { temperature = v; return this; }
    public Builder topP(double v) { topP = v; return this; }
    public Builder maxTokens(int v) { maxTokens = v; return this; }
    public Builder stop(List<String> v) { stop = v; return this; }
    public Builder seed(Long v) { seed = v; return this; }
    public Builder n(int v) { n = v; return this; }
    public Builder logprobs(boolean v) { logprobs = v; return this; }
    public Builder topLogprobs(int v) { topLogprobs = v; return this; }
    public Builder toolChoice(String v) { toolChoice = v; return this; }
    public Builder returnTokenIds(boolean v) { returnTokenIds = v; return this; }
    public Builder textToolCalls(String v) { textToolCalls = v; return this; }
    public Builder invalidToolArguments(String v) { invalidToolArguments = v; return this; }
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

    /** The configuration; throws {@link IllegalArgumentException} naming a bad field. */
    public Config build() {
      TextToolCalls.Format calls = TextToolCalls.Format.parse(
          Config.oneOf("textToolCalls", textToolCalls == null ? "none" : textToolCalls, TEXT_TOOL_CALLS));
      TextToolCalls.OnInvalid invalid = TextToolCalls.OnInvalid.parse(Config.oneOf("invalidToolArguments",
          invalidToolArguments == null ? "fail" : invalidToolArguments, INVALID_TOOL_ARGUMENTS), null);
      return new Config(baseUrl, model, apiKeyEnv, apiKeyRequired, temperature, topP, maxTokens, stop, seed, n,
          logprobs, topLogprobs, toolChoice, returnTokenIds, calls, invalid,
          requestTimeoutMillis, maxRetries, backoffBaseMillis, backoffMaxMillis, maxRetryAfterMillis,
          breakerMaxFailures, breakerOpenMillis, breakerMaxWaitMillis, maxConcurrency, cacheSize);
    }
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String description() {
    return "a model behind an OpenAI-compatible chat-completions endpoint (vLLM, SGLang, OpenAI)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  /**
   * A new agent with its own Vert.x instance and chat client, closed with the agent (for use outside a run).
   * Throws {@link ConfigException} when {@code apiKeyRequired} is set and the variable is unset.
   * {@code textToolCalls} applies as in {@link #create(Config, BoundEnvironment, PluginContext)}.
   */
  @Override
  public Agent create(Config config, BoundEnvironment environment) {
    Agent agent = new OpenAiAgent(config, null, this.environment, LoggerFactory.getLogger(OpenAiAgent.class));
    return textCalls(config).wrap(agent);
  }

  /**
   * A new agent over the run's shared client of its endpoint ({@link PluginContext#chatClient(ChatEndpoint)}):
   * every agent, simulated user and judge of the run that talks to the same endpoint shares its connection pool,
   * circuit breaker, concurrency cap and cache. With {@code textToolCalls: hermes|json} the agent is wrapped by
   * {@link TextToolCalls}, which reads the calls a model writes in its text with env-api's
   * {@link dev.ludus.api.tools.ToolCallParser} and checks them against the turn's tools per
   * {@code invalidToolArguments}; a message whose text calls cannot be read keeps its text and gets no tool
   * calls, so the environment and the shapers see (and score) what the model wrote.
   */
  @Override
  public Agent create(Config config, BoundEnvironment environment, PluginContext context) {
    ChatClient client;
    try {
      client = context.chatClient(config.endpoint());
    } catch (ConfigException e) {
      throw new ConfigException("openai config: " + e.getMessage(), e);
    }
    return textCalls(config).wrap(new OpenAiAgent(client, config));
  }

  private TextToolCalls textCalls(Config config) {
    return TextToolCalls.of(name(), config.textToolCalls(), config.invalidToolArguments());
  }
}
