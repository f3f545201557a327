package dev.ludus.agents.djl;

import dev.ludus.agents.toolcalls.TextToolCalls;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.batch.Batcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chat completions from an in-process {@link LanguageModel} with per-request sampling: what {@code ludus serve}
 * answers HTTP requests with. A request's conversation is rendered by the same chat template as the {@code djl-lm}
 * agent's (tools included), its {@code n} completions go to the one batching worker that every concurrent request
 * shares (so requests from many clients meet in one forward pass: batching at the granularity of a batch, not of a
 * decoding step). A burst of requests is handed to the worker at once, when no request has arrived for
 * {@code maxWaitMillis} (or {@code maxBatch} wait, or the first has waited 8 x {@code maxWaitMillis}), so that
 * requests spread over milliseconds by the network form one batch. Each completion carries its exact prompt and output ids, the log-probs of its tokens and, when asked,
 * the most likely alternatives at each position.
 *
 * <p>Determinism: completion {@code i} of a request samples from a generator seeded with {@code Seeds.mix(seed, i)},
 * whatever shares its batch; temperature 0 is greedy. Log-probs are those of the distribution sampled from (see
 * {@link Sampling}); at temperature 1 without top-p they equal the agent's {@link DjlLmAgent#trainable()} scoring.
 *
 * <p>Thread-safety: {@link #complete} may be called from any thread, event loops included: it renders the prompt on
 * the calling thread (cheap) and returns at once; the model runs only on the worker thread, which completes the
 * stage. Life-cycle: {@link #close()} stops the worker (pending requests fail) and, for one made with an owner,
 * closes the owner; the model and tokenizer of {@link #sharing} stay open. Idempotent.
 */
public final class ChatCompletions implements AutoCloseable {
  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final ChatTemplate template;
  private final TextToolCalls textCalls;
  private final Batcher<Generator.Request, Generator.Result> worker;
  private final AutoCloseable owner;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long gapNanos;
  private final long capNanos;
  private final int maxBatch;
  private final ScheduledExecutorService coalescer;
  private final List<Pending> pending = new ArrayList<>(); // guarded by this
  private long firstNanos; // guarded by this: when the oldest pending sequence arrived
  private ScheduledFuture<?> flush; // guarded by this

  /** A sequence waiting to be handed to the worker, and the stage it completes. */
  private record Pending(Generator.Request request, CompletableFuture<Generator.Result> result) {}

  private ChatCompletions(LanguageModel model, LmTokenizer tokenizer, DjlLmAgentProvider.Config config,
      AutoCloseable owner) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = new ChatTemplate(tokenizer, config.toolFormat());
    this.textCalls = config.textCalls();
    this.owner = owner;
    Generator generator = new Generator(model, tokenizer);
    this.maxBatch = config.maxBatch();
    this.gapNanos = TimeUnit.MILLISECONDS.toNanos(config.maxWaitMillis());
    this.capNanos = 8 * gapNanos;
    this.worker = Batcher.builder("serve-worker", generator::generate).maxBatch(config.maxBatch())
        .maxWait(Duration.ofMillis(gapNanos == 0 ? 0 : 1)).build();
    this.coalescer = gapNanos == 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "serve-coalescer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Completions from a model and tokenizer someone else owns. Of {@code config} only the batching ({@code maxBatch},
   * {@code maxWaitMillis}) and the tool-call format ({@code textToolCalls}) apply.
   */
  public static ChatCompletions sharing(LanguageModel model, LmTokenizer tokenizer, DjlLmAgentProvider.Config config) {
    return new ChatCompletions(model, tokenizer, config, null);
  }

  /**
   * Completions from the model and tokenizer {@code config} makes (a checkpoint, or a fresh model of its
   * architecture): built as the {@code djl-lm} agent builds them, owned and closed with this.
   *
   * @throws dev.ludus.api.ConfigException naming what is wrong with the configuration
   */
  public static ChatCompletions create(DjlLmAgentProvider.Config config) {
    DjlLmAgent agent = (DjlLmAgent) new DjlLmAgentProvider().create(config, null);
    try {
      return new ChatCompletions(agent.model(), agent.tokenizer(), config, agent);
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  /**
   * How one request samples.
   *
   * @param temperature 0 for greedy, else up to 2
   * @param topP nucleus mass in (0, 1]
   * @param maxTokens the most tokens per completion, 1 to {@link #maxTokensLimit()}
   * @param stop strings that end a completion (its text is cut before them)
   * @param seed the request's seed
   * @param n completions, at least 1
   * @param topLogprobs alternatives to report per position, 0 to 20
   */
  public record Params(double temperature, double topP, int maxTokens, List<String> stop, long seed, int n,
      int topLogprobs) {
    public Params {
      stop = stop == null ? List.of() : List.copyOf(stop);
      if (n < 1) {
        throw new IllegalArgumentException("n must be at least 1, was " + n);
      }
      if (topLogprobs < 0 || topLogprobs > 20) {
        throw new IllegalArgumentException("top_logprobs must be in 0..20, was " + topLogprobs);
      }
    }
  }

  /** One of a position's most likely tokens. */
  public record Alternative(int id, String token, float logProb) {}

  /**
   * One completion.
   *
   * @param message the assistant message (tool calls read from its text when {@code textToolCalls} is set)
   * @param finishReason {@code stop}, {@code length} or {@code tool_calls}
   * @param trace the exact prompt and output ids, the output's log-probs and the policy version
   * @param tokens the text of each output token
   * @param top per output position, the most likely alternatives (empty lists unless asked for)
   */
  public record Completion(Message message, String finishReason, TokenTrace trace, List<String> tokens,
      List<List<Alternative>> top) {}

  /** The most tokens a completion may ask for: one below the model's context. */
  public int maxTokensLimit() {
    return model.spec().context() - 1;
  }

  /**
   * The {@code n} completions of {@code messages} with {@code tools} on offer; the stage fails with an {@link
   * IllegalArgumentException} for a conversation the template cannot render, or with the worker's failure.
   */
  public CompletionStage<List<Completion>> complete(List<Message> messages, List<ToolSpec> tools, Params params) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the model server is closing"));
    }
    if (params.maxTokens() < 1 || params.maxTokens() > maxTokensLimit()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("max_tokens must be in 1.."
          + maxTokensLimit() + " (below the model's context " + model.spec().context() + "), was "
          + params.maxTokens()));
    }
    int[] prompt;
    try {
      prompt = template.render(messages, tools);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("cannot render the conversation: "
          + e.getMessage(), e));
    }
    Sampling sampling = new Sampling(params.temperature(), 0, params.topP());
    List<CompletableFuture<Generator.Result>> parts = new ArrayList<>(params.n());
    for (int i = 0; i < params.n(); i++) {
      parts.add(submit(new Generator.Request(prompt, sampling, Seeds.mix(params.seed(), i),
          params.maxTokens(), params.stop(), null, params.topLogprobs())));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Completion> out = new ArrayList<>(parts.size());
      for (CompletableFuture<Generator.Result> p : parts) {
        out.add(completion(p.join(), tools));
      }
      return out;
    });
  }

  /**
   * Hands {@code request} to the worker once the burst it arrived in is over: when no sequence has arrived for
   * {@code maxWaitMillis}, when {@code maxBatch} are waiting, or when the first has waited 8 x {@code maxWaitMillis}.
   * Requests from many HTTP connections arrive spread over milliseconds, and a sequence that misses a batch waits for
   * every decoding step of it; handing the burst over at once makes it one batch.
   */
  private CompletableFuture<Generator.Result> submit(Generator.Request request) {
    if (coalescer == null) {
      return worker.submit(request).toCompletableFuture();
    }
    CompletableFuture<Generator.Result> result = new CompletableFuture<>();
    synchronized (this) {
      long now = System.nanoTime();
      if (pending.isEmpty()) {
        firstNanos = now;
      }
      pending.add(new Pending(request, result));
      if (flush != null) {
        flush.cancel(false);
        flush = null;
      }
      long delay = Math.min(gapNanos, capNanos - (now - firstNanos));
      if (pending.size() >= maxBatch || delay <= 0) {
        flush();
      } else {
        try {
          flush = coalescer.schedule(this::flushScheduled, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          flush();
        }
      }
    }
    return result;
  }

  private synchronized void flushScheduled() {
    flush = null;
    flush();
  }

  /** Hands every pending sequence to the worker at once. Holds the lock. */
  private void flush() {
    for (Pending p : pending) {
      worker.submit(p.request()).whenComplete((r, e) -> {
        if (e != null) {
          p.result().completeExceptionally(e);
        } else {
          p.result().complete(r);
        }
      });
    }
    pending.clear();
  }

  private Completion completion(Generator.Result r, List<ToolSpec> tools) {
    TokenTrace trace = new TokenTrace(r.promptIds(), r.outputIds(), r.logProbs(), r.policyVersion());
    AgentResponse response = textCalls.apply(AgentResponse.reply(Message.assistant(r.text()), trace,
        r.finishReason(), new AgentResponse.Usage(r.promptIds().length, r.outputIds().length)), tools);
    Message message = response instanceof AgentResponse.Reply reply ? reply.message() : Message.assistant(r.text());
    String finish = !message.toolCalls().isEmpty() ? "tool_calls" : r.finishReason();
    List<String> tokens = new ArrayList<>(r.outputIds().length);
    for (int id : r.outputIds()) {
      tokens.add(tokenText(id));
    }
    List<List<Alternative>> top = new ArrayList<>(r.outputIds().length);
    for (int i = 0; i < r.outputIds().length; i++) {
      List<Alternative> row = new ArrayList<>();
      if (i < r.topIds().length) {
        for (int k = 0; k < r.topIds()[i].length; k++) {
          row.add(new Alternative(r.topIds()[i][k], tokenText(r.topIds()[i][k]), r.topLogProbs()[i][k]));
        }
      }
      top.add(List.copyOf(row));
    }
    return new Completion(message, finish, trace, List.copyOf(tokens), List.copyOf(top));
  }

  /** The text of one token (empty for end-of-sequence). */
  public String tokenText(int id) {
    return id == tokenizer.eosId() ? "" : tokenizer.decode(new int[] {id});
  }

  /** The model the completions come from. */
  public LanguageModel model() {
    return model;
  }

  /** The tokenizer of the chat template. */
  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  /** The model as a learner scores it (see {@link DjlLmAgent#trainable()}); does not own the model. */
  public TrainablePolicy trainable() {
    return new RestrictedPolicy(model, Generator.excludedIds(tokenizer), false);
  }

  /** How the batching worker has batched so far. */
  public Batcher.Statistics statistics() {
    return worker.statistics();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (coalescer != null) {
        coalescer.shutdownNow();
        synchronized (this) {
          flush();
        }
      }
      worker.close();
      if (owner != null) {
        try {
          owner.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the model failed: " + e.getMessage(), e);
        }
      }
    }
  }
}
