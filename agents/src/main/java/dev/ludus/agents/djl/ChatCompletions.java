package dev.ludus.agents.djl;

import dev.ludus.agents.toolcalls.TextToolCalls;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Chat completions from an in-process {@link LanguageModel} with per-request sampling: what {@code ludus serve}
 * answers HTTP requests with. A request's conversation is rendered by the same chat template as the {@code djl-lm}
 * agent's (tools included), and its {@code n} completions go to the one batching worker that every concurrent request
 * shares, which batches per decoding step ({@link StepBatcher}): a sequence that arrives while others are decoding is
 * read by a first pass of its own and joins the running batch at a next step (once the waiting requests fill the batch
 * or the oldest has waited {@code maxWaitMillis}), and a sequence that finishes leaves it at once. When the worker is idle, a burst of requests is collected until none has arrived for {@code maxWaitMillis}
 * (or {@code maxBatch} wait, or the first has waited 8 x {@code maxWaitMillis}), so that requests spread over
 * milliseconds by the network share one first pass. Each completion carries its exact prompt and output ids, the
 * log-probs of its tokens and, when asked, the most likely alternatives at each position.
 *
 * <p>Determinism: completion {@code i} of a request samples from a generator seeded with {@code Seeds.mix(seed, i)},
 * whatever shares its batch and whenever it joined it (up to float rounding of the logits); temperature 0 is greedy. Log-probs are those of the distribution sampled from (see
 * {@link Sampling}); at temperature 1 without top-p they equal the agent's {@link DjlLmAgent#trainable()} scoring.
 *
 * <p>Thread-safety: {@link #complete(List, List, Params)} may be called from any thread but an event loop: it renders
 * and tokenizes the prompt on the calling thread (which grows with the conversation) and returns without waiting for
 * generation; the model runs only on the worker thread, which completes the stage. {@link #complete(Supplier,
 * Executor)} may be called from any thread, event loops included: it only enqueues, and the worker prepares the call
 * (parsing, rendering) when it gathers a burst or has room in its batch. Life-cycle: {@link #close()} stops the worker (pending requests fail) and, for one made with an owner,
 * closes the owner; the model and tokenizer of {@link #sharing} stay open. Idempotent.
 */
public final class ChatCompletions implements AutoCloseable {
  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final ChatTemplate template;
  private final TextToolCalls textCalls;
  private final StepBatcher worker;
  private final AutoCloseable owner;
  /** The policy's history window (see {@link HistoryWindow}): the configured one, else its checkpoint's, else 0. */
  private final int historyWindow;
  /** Each token's text, decoded on first use (racy but safe: a slot holds null or the one immutable text). */
  private final String[] tokenTexts;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChatCompletions(LanguageModel model, LmTokenizer tokenizer, DjlLmAgentProvider.Config config,
      AutoCloseable owner) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = new ChatTemplate(tokenizer, config.toolFormat());
    this.textCalls = config.textCalls();
    this.owner = owner;
    this.historyWindow = config.withCheckpointDefaults().historyWindow();
    this.tokenTexts = new String[Math.max(model.spec().vocabSize(), tokenizer.vocabSize())];
    this.worker = new StepBatcher(model, tokenizer, config.maxBatch(),
        TimeUnit.MILLISECONDS.toNanos(config.maxWaitMillis()), null);
  }

  /**
   * Completions from a model and tokenizer someone else owns. Of {@code config} only the batching ({@code maxBatch},
   * {@code maxWaitMillis}), the tool-call format ({@code textToolCalls}) and the history window
   * ({@code historyWindow}, else its {@code checkpoint}'s) apply.
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
      return new ChatCompletions(agent.model(), agent.tokenizer(), agent.config(), agent); // its window resolved
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

  /** A request to complete: the conversation, the tools on offer and how to sample. */
  public interface Call {
    List<Message> messages();

    List<ToolSpec> tools();

    Params params();
  }

  /** A call and its completions, in order. */
  public record Answer<C extends Call>(C call, List<Completion> completions) {}

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
    List<CompletableFuture<Generator.Result>> parts;
    try {
      parts = requests(messages, tools, params).stream().map(worker::submit).toList();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return allOf(parts).thenApply(v -> completions(parts, tools));
  }

  /**
   * The completions of the call {@code prepare} makes (parsing a request, say), which runs on the batching worker just
   * before the call may join the batch: while the worker gathers a burst, or between decoding steps. The prompt is
   * rendered there too, and the completions are built on {@code finish}, so that neither holds up the caller nor the
   * decoding steps. The stage fails with what {@code prepare} throws, with an {@link IllegalArgumentException} for a
   * conversation the template cannot render or a bad {@code max_tokens}, or with the worker's failure.
   */
  public <C extends Call> CompletionStage<Answer<C>> complete(Supplier<? extends C> prepare, Executor finish) {
    CompletableFuture<Answer<C>> answer = new CompletableFuture<>();
    if (closed.get()) {
      answer.completeExceptionally(new IllegalStateException("the model server is closing"));
      return answer;
    }
    worker.submit(new StepBatcher.Job() {
      @Override
      public List<StepBatcher.Waiting> prepare() {
        C call = prepare.get();
        List<StepBatcher.Waiting> waiting = requests(call.messages(), call.tools(), call.params()).stream()
            .map(r -> new StepBatcher.Waiting(r, new CompletableFuture<>())).toList();
        List<CompletableFuture<Generator.Result>> parts = waiting.stream().map(StepBatcher.Waiting::result).toList();
        allOf(parts).thenApplyAsync(v -> new Answer<C>(call, completions(parts, call.tools())), finish)
            .whenComplete((a, t) -> {
              if (t != null) {
                answer.completeExceptionally(t instanceof java.util.concurrent.CompletionException
                    && t.getCause() != null ? t.getCause() : t);
              } else {
                answer.complete(a);
              }
            });
        return waiting;
      }

      @Override
      public void fail(Throwable t) {
        answer.completeExceptionally(t);
      }
    });
    return answer;
  }

  /** The {@code n} requests of a call (its prompt rendered). */
  private List<Generator.Request> requests(List<Message> messages, List<ToolSpec> tools, Params params) {
    if (params.maxTokens() < 1 || params.maxTokens() > maxTokensLimit()) {
      throw new IllegalArgumentException("max_tokens must be in 1.." + maxTokensLimit() + " (below the model's "
          + "context " + model.spec().context() + "), was " + params.maxTokens());
    }
    int[] prompt;
    try {
      prompt = template.render(HistoryWindow.view(messages, historyWindow), tools);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot render the conversation: " + e.getMessage(), e);
    }
    Sampling sampling = new Sampling(params.temperature(), 0, params.topP());
    List<Generator.Request> out = new ArrayList<>(params.n());
    for (int i = 0; i < params.n(); i++) {
      out.add(new Generator.Request(prompt, sampling, Seeds.mix(params.seed(), i), params.maxTokens(), params.stop(),
          null, params.topLogprobs()));
    }
    return out;
  }

  private static CompletableFuture<Void> allOf(List<CompletableFuture<Generator.Result>> parts) {
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
  }

  private List<Completion> completions(List<CompletableFuture<Generator.Result>> parts, List<ToolSpec> tools) {
    List<Completion> out = new ArrayList<>(parts.size());
    for (CompletableFuture<Generator.Result> p : parts) {
      out.add(completion(p.join(), tools));
    }
    return out;
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
    if (id < 0 || id >= tokenTexts.length) {
      return tokenizer.decode(new int[] {id});
    }
    String text = tokenTexts[id];
    if (text == null) {
      text = id == tokenizer.eosId() ? "" : tokenizer.decode(new int[] {id});
      tokenTexts[id] = text;
    }
    return text;
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

  /**
   * How the batching worker has batched so far.
   *
   * @param items sequences admitted (a request's {@code n} completions count {@code n})
   * @param steps decoding steps (forward passes over the running batch; first passes not counted)
   * @param rows sequences summed over the decoding steps
   * @param largestBatch the most sequences of one decoding step
   * @param joined sequences admitted while others were decoding (they joined a running batch)
   */
  public record Statistics(long items, long steps, long rows, int largestBatch, long joined) {
    /** Sequences per decoding step on average; 0 before the first step. */
    public double meanBatchSize() {
      return steps == 0 ? 0 : (double) rows / steps;
    }
  }

  /** How the batching worker has batched so far. */
  public Statistics statistics() {
    return worker.statistics();
  }

  /**
   * When things happened at the batching worker since {@link #resetTimeline()}, each a {@link System#nanoTime()}, 0
   * when it has not happened yet: what a benchmark reads to say where a round's time went.
   *
   * @param firstArrival the first request (a served one as its raw body) reached the worker's queue
   * @param lastArrival the last one did
   * @param firstAdmission the first request was admitted to a batch (its first pass began)
   * @param lastStep the last decoding step ended (just before its finished sequences' futures completed)
   */
  public record Timeline(long firstArrival, long lastArrival, long firstAdmission, long lastStep) {}

  /**
   * Where the batching worker's wall time went since it started, in nanoseconds (first passes include answering the
   * sequences that end at their first token): what a benchmark reads to compare two workers.
   *
   * @param preparing turning queued calls into requests (parsing and rendering a served request)
   * @param firstPasses the first passes run (one per admitted group)
   * @param admitting in those first passes, sampling their first tokens and joining the running batch
   * @param stepping in decoding steps' forward passes and their cache work (dropping finished rows and columns)
   * @param sampling choosing each step's tokens
   * @param answering completing the finished sequences' futures, and what runs in their callbacks on the worker
   */
  public record WorkerTime(long preparing, long firstPasses, long admitting, long stepping, long sampling,
      long answering) {
    /** What happened between {@code before} and this. */
    public WorkerTime since(WorkerTime before) {
      return new WorkerTime(preparing - before.preparing, firstPasses - before.firstPasses,
          admitting - before.admitting, stepping - before.stepping, sampling - before.sampling,
          answering - before.answering);
    }
  }

  /** See {@link WorkerTime}. */
  public WorkerTime workerTime() {
    return worker.workerTime();
  }

  /** See {@link Timeline}. */
  public Timeline timeline() {
    return worker.timeline();
  }

  /** Starts a new {@link #timeline()}; call it while no request is in flight. */
  public void resetTimeline() {
    worker.resetTimeline();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
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
