package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import dev.ludus.api.chat.ToolChoice;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
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
import org.slf4j.LoggerFactory;

/**
 * The {@code openai} agent: one chat-completions request per turn, through a {@link ChatClient} of an
 * OpenAI-compatible endpoint.
 *
 * <p><b>Design note.</b> The agent is a thin adapter: a turn's {@link AgentRequest} becomes a {@link ChatRequest}
 * (the conversation, the tools, the configured tool choice and sampling), and the client's first choice becomes
 * the reply. Everything about the transport (retries with backoff and {@code Retry-After}, the circuit breaker,
 * the concurrency cap, the cache of deterministic requests that also merges identical requests in flight, the
 * redaction of the API key) is the client's, and is shared with every other user of the same client (see
 * {@link ChatClientPool}). What the agent adds: a name for each tool call the server sent without an id
 * ({@code call_<turn>_<i>}), the check of tool-call arguments ({@code invalidToolArguments}), the token trace,
 * and per-agent statistics. Tool calls written in the text ({@code textToolCalls}) are read by the
 * {@link dev.ludus.agents.toolcalls.TextToolCalls} wrapper that {@link OpenAiAgentProvider} puts around the agent,
 * as for every backend; an agent made with its public constructors reads none (wrap it yourself).
 *
 * <p><b>Failures are values.</b> {@link #act} never throws and its stage never completes exceptionally: every
 * problem becomes an {@link AgentResponse.Failure} whose reason is {@code openai/<kind>: <detail>} (see
 * {@link OpenAiFailureKind}): the HTTP status with a redacted, truncated body excerpt; a timeout or connection
 * error with the attempt count; circuit open; malformed JSON; a truncated body; a tool call whose arguments
 * are not a JSON object; empty choices. The API key never appears in reasons or logs.
 *
 * <p><b>Tokens.</b> A reply carries a {@link TokenTrace} only when the server returns the exact token ids (vLLM
 * with {@code returnTokenIds}) and log-probs. Otherwise the trace is null, counted in {@link
 * Stats#repliesWithoutTokenTrace()}, and logged once: the learner refuses to train on such turns rather than
 * re-tokenize them.
 *
 * <p>Thread-safety: thread-safe; one agent serves many episodes at once. {@link #act} never blocks: it may be
 * called from any thread, including event loops, and its stage completes on a Vert.x event loop (so dependent
 * stages must not block either). Life-cycle: whoever creates it closes it; {@link #close()} is idempotent and
 * answers pending turns with {@code openai/closed}. It closes the client only if it made it, and the Vert.x
 * instance only if it made that.
 */
public final class OpenAiAgent implements Agent, dev.ludus.api.AgentStatistics {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The reply cache's counters.
   *
   * @param hits this agent's turns answered from the cache (or joined to an identical request in flight)
   * @param misses this agent's turns looked up and sent to the server
   * @param evictions replies evicted to stay within {@code cacheSize} (the endpoint's cache, shared)
   * @param size replies cached now (the endpoint's cache, shared)
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
   * @param attempts HTTP requests sent for this agent's turns (retries included; cache hits and fast failures
   *     excluded)
   * @param retries attempts after the first of a turn
   * @param replies turns answered with a reply
   * @param repliesWithoutTokenTrace replies whose trace is null (no token ids or log-probs from the server)
   * @param failures turns answered with a failure
   * @param failuresByKind failures by kind
   * @param maxInFlight the most requests the endpoint's client had in flight at once (shared with its other
   *     users; 0 when the client does not say)
   */
  public record Stats(long turns, long attempts, long retries, long replies, long repliesWithoutTokenTrace,
      long failures, Map<OpenAiFailureKind, Long> failuresByKind, int maxInFlight) {
    public Stats {
      failuresByKind = Map.copyOf(failuresByKind);
    }
  }

  /** Requests and cache, for the run summary. */
  public record Summary(Stats requests, CacheStats cache) {}

  private final OpenAiAgentProvider.Config config;
  private final ChatClient client;
  private final boolean ownsClient;
  private final Vertx ownedVertx;
  private final Sampling sampling;
  private final ToolChoice toolChoice;
  private final boolean cacheEnabled;
  private final boolean failOnInvalidArguments;
  private final Redactor redactor;
  private final Logger log;
  private final Set<CompletableFuture<AgentResponse>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warnedNoTokens = new AtomicBoolean();
  private final LongAdder turns = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder replies = new LongAdder();
  private final LongAdder repliesWithoutTrace = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final Map<OpenAiFailureKind, LongAdder> failures = new EnumMap<>(OpenAiFailureKind.class);

  /** An agent with its own Vert.x instance and client, reading the API key from the process environment. */
  public OpenAiAgent(OpenAiAgentProvider.Config config) {
    this(config, (Vertx) null);
  }

  /**
   * An agent with a client of its own on a shared Vert.x instance (not closed with the agent), or on its own
   * instance when {@code vertx} is null, reading the API key from the process environment. Throws {@link
   * ConfigException} when {@code apiKeyRequired} is set and the variable is unset.
   */
  public OpenAiAgent(OpenAiAgentProvider.Config config, Vertx vertx) {
    this(config, vertx, System::getenv, LoggerFactory.getLogger(OpenAiAgent.class));
  }

  /**
   * An agent over a shared {@code client} (e.g. from a {@link ChatClientPool}), which the agent never closes.
   * The client's endpoint decides where requests go and the transport's limits; {@code config}'s sampling,
   * tool choice and tool-call settings apply to this agent's turns.
   */
  public OpenAiAgent(ChatClient client, OpenAiAgentProvider.Config config) {
    this(config, Objects.requireNonNull(client, "client"), false, null, System::getenv,
        LoggerFactory.getLogger(OpenAiAgent.class));
  }

  /** An agent with a client of its own, on {@code vertx} or (when null) on a Vert.x instance of its own. */
  OpenAiAgent(OpenAiAgentProvider.Config config, Vertx vertx, Function<String, String> environment, Logger log) {
    this(config, vertx, vertx == null ? Vertx.vertx() : null, environment, log);
  }

  private OpenAiAgent(OpenAiAgentProvider.Config config, Vertx given, Vertx made, Function<String, String> environment,
      Logger log) {
    this(config, ownClient(config, given != null ? given : made, made, environment, log), true, made, environment,
        log);
  }

  private OpenAiAgent(OpenAiAgentProvider.Config config, ChatClient client, boolean ownsClient, Vertx ownedVertx,
      Function<String, String> environment, Logger log) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = client;
    this.ownsClient = ownsClient;
    this.ownedVertx = ownedVertx;
    this.log = Objects.requireNonNull(log, "log");
    this.sampling = config.sampling();
    this.toolChoice = ToolChoice.of(config.toolChoice());
    this.cacheEnabled = client.endpoint().cacheSize() > 0 && sampling.deterministic();
    this.failOnInvalidArguments = config.invalidToolArguments() == dev.ludus.agents.toolcalls.TextToolCalls.OnInvalid.FAIL;
    String keyEnv = client.endpoint().apiKeyEnv();
    String key = keyEnv == null ? null : environment.apply(keyEnv);
    this.redactor = new Redactor(key == null || key.isBlank() ? null : key.trim());
    for (OpenAiFailureKind k : OpenAiFailureKind.values()) {
      failures.put(k, new LongAdder());
    }
  }

  /** A client for this agent alone; closes the Vert.x instance it was given to own if the client cannot be made. */
  private static OpenAiChatClient ownClient(OpenAiAgentProvider.Config config, Vertx vertx, Vertx owned,
      Function<String, String> environment, Logger log) {
    try {
      return new OpenAiChatClient(config.endpoint(), vertx, environment, log);
    } catch (ConfigException e) {
      if (owned != null) {
        owned.close();
      }
      throw new ConfigException("openai config: " + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    turns.increment();
    try {
      if (closed.get()) {
        return CompletableFuture.completedFuture(fail(OpenAiFailureKind.CLOSED, "the agent is closed"));
      }
      ChatRequest chat;
      try {
        chat = new ChatRequest(request.conversation(), request.tools(), toolChoice, sampling, Map.of());
      } catch (IllegalArgumentException e) {
        return CompletableFuture.completedFuture(fail(OpenAiFailureKind.BAD_REQUEST, e.getMessage()));
      }
      int turn = request.turn();
      if (ownsClient) {
        // closing the agent closes its own client, which answers the pending requests itself
        return client.complete(chat).handle((r, error) -> {
          AgentResponse response = respond(r, error, turn);
          if (response instanceof AgentResponse.Reply) {
            replies.increment();
          }
          return response;
        });
      }
      // a shared client outlives the agent: the agent answers its own pending turns when it closes
      CompletableFuture<AgentResponse> out = new CompletableFuture<>();
      pending.add(out);
      out.whenComplete((r, e) -> pending.remove(out));
      if (closed.get()) {
        complete(out, fail(OpenAiFailureKind.CLOSED, "the agent is closed"));
        return out;
      }
      client.complete(chat).whenComplete((r, error) -> complete(out, respond(r, error, turn)));
      return out;
    } catch (RuntimeException bug) {
      return CompletableFuture.completedFuture(fail(OpenAiFailureKind.INTERNAL, describe(bug)));
    }
  }

  @Override
  public Record statistics() {
    return new Summary(stats(), cacheStats());
  }

  /** This agent's cache lookups; the evictions and size are those of the endpoint's cache. */
  public CacheStats cacheStats() {
    if (!cacheEnabled) {
      return new CacheStats(0, 0, 0, 0, false);
    }
    long[] shared = client instanceof OpenAiChatClient c ? c.cacheEvictionsAndSize() : new long[2];
    return new CacheStats(cacheHits.sum(), cacheMisses.sum(), shared[0], shared[1], true);
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
        byKind, client instanceof OpenAiChatClient c ? c.maxInFlight() : 0);
  }

  /** The configuration this agent runs with. */
  public OpenAiAgentProvider.Config config() {
    return config;
  }

  /** The client this agent sends its turns through. */
  public ChatClient client() {
    return client;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CompletableFuture<AgentResponse> f : pending) {
      complete(f, fail(OpenAiFailureKind.CLOSED, "the agent was closed before the server answered"));
    }
    if (ownsClient) {
      client.close();
    }
    if (ownedVertx != null) {
      ownedVertx.close();
    }
  }

  @Override
  public String toString() {
    return "OpenAiAgent[" + client.endpoint().chatCompletionsUrl() + ", model " + client.endpoint().model() + "]";
  }

  // ---- from the client's result to the agent's response ----

  private AgentResponse respond(ChatResult result, Throwable error, int turn) {
    try {
      return result != null ? toResponse(result, turn) : fail(OpenAiFailureKind.INTERNAL, describe(error));
    } catch (RuntimeException bug) {
      return fail(OpenAiFailureKind.INTERNAL, describe(bug));
    }
  }

  private AgentResponse toResponse(ChatResult result, int turn) {
    attempts.add(result.attempts());
    if (result.attempts() > 1) {
      retries.add(result.attempts() - 1L);
    }
    if (result instanceof ChatResult.Failure f) {
      if (cacheEnabled && f.kind() != ChatFailureKind.BAD_REQUEST && f.kind() != ChatFailureKind.CLOSED) {
        cacheMisses.increment();
      }
      return fail(OpenAiFailureKind.of(f.kind()), f.detail());
    }
    ChatResult.Completion completion = (ChatResult.Completion) result;
    if (cacheEnabled) {
      (completion.cached() ? cacheHits : cacheMisses).increment();
    }
    ChatResult.Choice choice = completion.first();
    Message message = choice.message();
    String content = message.content();
    List<ToolCall> calls = message.toolCalls();
    boolean changed = false;
    for (int i = 0; i < calls.size() && !changed; i++) {
      changed = calls.get(i).id().isEmpty();
    }
    if (changed) {
      List<ToolCall> named = new ArrayList<>(calls.size());
      for (int i = 0; i < calls.size(); i++) {
        ToolCall c = calls.get(i);
        named.add(c.id().isEmpty() ? new ToolCall("call_" + turn + "_" + i, c.function()) : c);
      }
      calls = named;
    }
    if (failOnInvalidArguments) {
      for (ToolCall call : calls) {
        String problem = argumentProblem(call.arguments());
        if (problem != null) {
          return fail(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS, "tool call '" + redactor.excerpt(call.name(), 80)
              + "' (id " + redactor.excerpt(call.id(), 60) + ") has arguments that are not a JSON object ("
              + problem + "): " + redactor.excerpt(call.arguments(), 200));
        }
      }
    }
    TokenTrace trace = choice.tokens();
    if (trace == null) {
      repliesWithoutTrace.increment();
      if (warnedNoTokens.compareAndSet(false, true)) {
        log.warn(redactor.apply("openai agent over " + client.endpoint().chatCompletionsUrl() + ": the server"
            + " returned no token ids" + (sampling.returnTokenIds() ? " or no log-probs" : " (returnTokenIds is off)")
            + ": replies carry no token trace, and the learner will not train on them"));
      }
    }
    return AgentResponse.reply(changed ? Message.assistant(content, calls) : message, trace, choice.finishReason(),
        completion.usage());
  }

  /** Null when {@code arguments} is a JSON object, else what is wrong with it. */
  private String argumentProblem(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "empty";
    }
    try {
      JsonNode node = JSON.readTree(arguments);
      if (node == null || node.isMissingNode()) {
        return "empty";
      }
      return node.isObject() ? null : "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    } catch (JsonProcessingException e) {
      return "invalid JSON: " + redactor.excerpt(e.getOriginalMessage(), 120);
    }
  }

  private void complete(CompletableFuture<AgentResponse> out, AgentResponse response) {
    if (out.complete(response) && response instanceof AgentResponse.Reply) {
      replies.increment();
    }
  }

  private AgentResponse.Failure fail(OpenAiFailureKind kind, String detail) {
    failures.get(kind).increment();
    String reason = redactor.apply(kind.reason(detail));
    if (kind == OpenAiFailureKind.INVALID_TOOL_ARGUMENTS && log.isDebugEnabled()) {
      log.debug(reason);
    }
    return new AgentResponse.Failure(reason, kind.failureKind());
  }

  private String describe(Throwable e) {
    if (e == null) {
      return "no result and no error";
    }
    return redactor.apply(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }
}
