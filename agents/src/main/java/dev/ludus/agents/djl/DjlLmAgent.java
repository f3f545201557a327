package dev.ludus.agents.djl;

import dev.ludus.agents.toolcalls.TextToolCalls;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.batch.Batcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code djl-lm} agent: an in-process {@link LanguageModel} that answers each turn by rendering the
 * conversation with its chat template, generating on a dedicated worker thread that batches the requests
 * of many episodes into one forward pass, and decoding the reply. Every reply carries a {@link TokenTrace}:
 * the exact prompt and output ids, the output's log-probs (see {@link Sampling}) and the model's policy
 * version.
 *
 * <p>History: with {@code historyWindow} above 0 the prompt renders only the conversation's latest observations
 * ({@link HistoryWindow}); the token trace holds that prompt, the one the model read. Left unset, the window is
 * the one saved with the checkpoint the model came from, else 0.
 *
 * <p>Tools: the chat template describes the turn's tools to the model and renders earlier tool calls; with
 * the {@code textToolCalls} option the calls the model writes in its reply become native tool calls
 * ({@link TextToolCalls}); the token trace is always what the model generated.
 *
 * <p>Determinism: sampling draws from a generator seeded with {@code Seeds.mix(request.seed(),
 * request.turn())}, so an episode replays exactly whatever else shares its batch; temperature 0 is greedy.
 *
 * <p>Cached generation ({@code kvCache}, off by default: in the default training's episodes of two or three turns it
 * did not pay): the worker keeps each conversation's keys and values after its turn (a {@link KvCache} keyed by
 * episode id and seat), and the next turn computes only what its prompt
 * adds: the cached ids are compared with the new prompt, never assumed to prefix it, and an update of the model
 * drops every entry. This is per-episode state the request does not carry, but only as a cache: the tokens and
 * log-probs are those computed without it (up to float rounding), whatever the cache holds. An episode's entries
 * are closed when the runtime reports it ended ({@link #episodeEnded}); the cache's entry and byte bounds cover
 * episodes whose end nobody reports.
 *
 * <p>Thread-safety: {@link #act} may be called from any number of threads; it renders the prompt on the
 * calling thread and returns at once; the model runs only on the worker thread, which completes the stage.
 * Life-cycle: {@link #close()} stops the worker (queued turns fail as values), releases the cached keys and
 * values and, if this agent was built from a configuration, closes its model and tokenizer; an agent built with
 * {@link #sharing} leaves them to their owner. Idempotent.
 */
public final class DjlLmAgent implements Agent {
  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final boolean owns;
  private final DjlLmAgentProvider.Config config;
  private final Sampling sampling;
  private final PromptRenderer template;
  private final OwnReplies ownReplies;
  private final TextToolCalls textCalls;
  private final Batcher<Generator.Request, Generator.Result> worker;
  private final KvCache cache;
  private final Generator generator;
  private final AtomicBoolean closed = new AtomicBoolean();

  DjlLmAgent(LanguageModel model, LmTokenizer tokenizer, boolean owns, DjlLmAgentProvider.Config config) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.owns = owns;
    this.config = Objects.requireNonNull(config, "config").withCheckpointDefaults();
    if (tokenizer.vocabSize() > model.spec().vocabSize()) {
      throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model only "
          + model.spec().vocabSize());
    }
    if (config.maxNewTokens() >= model.spec().context()) {
      throw new IllegalArgumentException("maxNewTokens (" + config.maxNewTokens() + ") must be below the model's "
          + "context (" + model.spec().context() + ")");
    }
    this.sampling = config.sampling();
    this.template = tokenizer.chatTemplate().orElseGet(() -> new ChatTemplate(tokenizer, config.toolFormat()));
    this.ownReplies = new OwnReplies(Math.max(1024, config.kvCacheEntries()));
    this.textCalls = config.textCalls();
    this.cache = config.kvCache()
        ? new KvCache(config.kvCacheEntries(), (long) config.kvCacheMegabytes() << 20) : null;
    this.generator = new Generator(model, tokenizer, cache);
    this.worker = Batcher.builder("djl-lm-worker", generator::generate).maxBatch(config.maxBatch())
        .maxWait(Duration.ofMillis(config.maxWaitMillis())).build();
  }

  /**
   * An agent on a model and tokenizer that someone else owns (a learner, a benchmark, another agent with
   * different sampling); closing the agent leaves both open. Architecture fields of {@code config} are
   * ignored; sampling, batching, {@code maxNewTokens} and {@code stop} apply.
   */
  public static DjlLmAgent sharing(LanguageModel model, LmTokenizer tokenizer, DjlLmAgentProvider.Config config) {
    return new DjlLmAgent(model, tokenizer, false, config);
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    if (closed.get()) {
      return CompletableFuture.completedFuture(AgentResponse.failure("djl-lm agent is closed"));
    }
    int[] prompt;
    try {
      prompt = template.render(HistoryWindow.view(request.conversation(), config.historyWindow()), request.tools(),
          ownReplies.of(conversation(request)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(AgentResponse.failure("djl-lm could not tokenize the conversation: " + e));
    }
    Generator.Request g = new Generator.Request(prompt, sampling, Seeds.mix(request.seed(), request.turn()),
        config.maxNewTokens(), config.stop(), cache == null ? null : conversation(request));
    String conversation = conversation(request);
    return worker.submit(g).handle((r, e) -> e == null ? textCalls.apply(remember(conversation, r), request.tools())
        : AgentResponse.failure("djl-lm generation failed: "
            + (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)));
  }

  /** The conversation a request continues: its episode and, in a match, its seat (seats see different messages). */
  static String conversation(AgentRequest request) {
    return request.seat() == null ? request.episodeId() : request.episodeId() + SEAT_SEPARATOR + request.seat();
  }

  /** Between an episode id and a seat in a conversation's cache key. */
  static final String SEAT_SEPARATOR = "\u0000";

  /** Releases the ended episode's cached keys and values (every seat's) at once; nothing without the cache. */
  @Override
  public void episodeEnded(String episodeId) {
    ownReplies.release(episodeId);
    if (cache != null) {
      cache.release(episodeId);
    }
  }

  /** The reply, its sampled ids remembered so that the next turn's prompt holds them as they were produced. */
  private AgentResponse remember(String conversation, Generator.Result r) {
    ownReplies.remember(conversation, r.text(), r.outputIds(), tokenizer.eosId());
    return reply(r);
  }

  private static AgentResponse reply(Generator.Result r) {
    return AgentResponse.reply(
        Message.assistant(r.text()),
        new TokenTrace(r.promptIds(), r.outputIds(), r.logProbs(), r.policyVersion()),
        r.finishReason(),
        new AgentResponse.Usage(r.promptIds().length, r.outputIds().length));
  }

  /** The model this agent generates with (shared with a learner for training). */
  public LanguageModel model() {
    return model;
  }

  /**
   * The model as a learner trains it: its distribution is the one this agent's sampler draws from (the
   * tokenizer's special tokens other than end-of-sequence excluded; see {@link TrainablePolicy}). The view does
   * not own the model: closing it does nothing, and it lives as long as the model's owner keeps it open.
   */
  public TrainablePolicy trainable() {
    return new RestrictedPolicy(model, Generator.excludedIds(tokenizer), false);
  }

  /** The tokenizer of the chat template. */
  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The configuration this agent runs with: as given, its history window set ({@link
   * DjlLmAgentProvider.Config#withCheckpointDefaults}).
   */
  public DjlLmAgentProvider.Config config() {
    return config;
  }

  Batcher<Generator.Request, Generator.Result> worker() {
    return worker;
  }

  /**
   * What the cross-turn key/value cache ({@code kvCache}) has reused and why not; {@link KvCacheStatistics#NONE}
   * when it is off. Thread-safe.
   */
  public KvCacheStatistics kvCacheStatistics() {
    return cache == null ? KvCacheStatistics.NONE : cache.statistics();
  }

  /** What the generation worker has done: batches, their sizes, prompt tokens shared prefixes saved. Thread-safe. */
  public GenerationStatistics generationStatistics() {
    dev.ludus.api.batch.Batcher.Statistics s = worker.statistics();
    return new GenerationStatistics(s.batches(), s.items(), s.largestBatch(), generator.sharedPrefixTokens());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      worker.close();
      if (cache != null) {
        cache.close();
      }
      if (owns) {
        model.close();
        tokenizer.close();
      }
    }
  }

  @Override
  public String toString() {
    return "djl-lm agent on " + model;
  }
}
