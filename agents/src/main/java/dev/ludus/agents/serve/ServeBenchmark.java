package dev.ludus.agents.serve;

import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ludus bench serve}: output tokens per second of {@code ludus serve} (the OpenAI client over loopback HTTP,
 * asking for log-probs and token ids as a training run would) against in-process batched generation of the same model
 * through the same batching worker (continuous batching per decoding step), as a ratio measured in one run. Both sides
 * send the same requests with the same seeds, so they generate the same tokens; rounds alternate between the two to
 * share the machine's load fairly. Warm-up pairs of rounds (unrecorded) run until the JIT compilers are nearly idle:
 * the HTTP path (client, Vert.x, Jackson) is far more Java code than in-process generation, and compiling it in
 * measured rounds took the served side's CPU (compiler threads used 260 of 510 ms of CPU in the fifth served round of a
 * run with one warm-up pair). Not thread-safe; run one at a time.
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  /**
   * The batching worker's wait for more requests after the first when it is idle, as {@code ludus serve} sets it by
   * default: requests arriving over HTTP spread over a few milliseconds, and a burst read by one first pass costs one
   * forward pass instead of one per request (later arrivals join the running batch at the next decoding step).
   */
  public static final long SERVE_MAX_WAIT_MILLIS = 25;

  /** Warm-up ends when the JIT compilers took less than this share of a pair of rounds' wall time... */
  static final double IDLE_COMPILER_SHARE = 0.05;
  /** ... or after this many pairs. */
  static final int MAX_WARMUP_PAIRS = 20;

  /**
   * What to run.
   *
   * @param concurrent requests in flight in each round
   * @param maxTokens tokens per completion
   * @param rounds measured rounds per side (after one warm-up round each)
   * @param maxWaitMillis the served side's gathering wait when its worker is idle ({@link #SERVE_MAX_WAIT_MILLIS}
   *     as {@code ludus serve} sets it by default; 0 starts at the first request), 0 to 60,000
   * @param warmupPairs warm-up pairs of rounds (one a side), 1 to {@link #MAX_WARMUP_PAIRS}; 0 for as many as it takes
   *     the JIT compilers to fall below {@link #IDLE_COMPILER_SHARE} of a pair's wall time (at most {@link
   *     #MAX_WARMUP_PAIRS})
   */
  public record Options(int concurrent, int maxTokens, int rounds, long maxWaitMillis, int warmupPairs) {
    public Options {
      if (concurrent < 1 || maxTokens < 1 || rounds < 1) {
        throw new IllegalArgumentException("serve benchmark options must be positive: concurrent " + concurrent
            + ", maxTokens " + maxTokens + ", rounds " + rounds);
      }
      if (warmupPairs < 0 || warmupPairs > MAX_WARMUP_PAIRS) {
        throw new IllegalArgumentException("the serve benchmark's warm-up must be 0 (until the JIT compilers are "
            + "nearly idle) or 1 to " + MAX_WARMUP_PAIRS + " pairs of rounds, was " + warmupPairs);
      }
      if (maxWaitMillis < 0 || maxWaitMillis > 60_000) {
        throw new IllegalArgumentException("the serve benchmark's max-wait-millis must be in [0, 60000], was "
            + maxWaitMillis);
      }
    }

    /**
     * {@code concurrent} requests of {@code maxTokens} tokens, {@code rounds} rounds, the default gathering wait, warm-up
     * until the compilers are nearly idle.
     */
    public Options(int concurrent, int maxTokens, int rounds) {
      this(concurrent, maxTokens, rounds, SERVE_MAX_WAIT_MILLIS, 0);
    }

    public static Options defaults() {
      return new Options(64, 16, 3);
    }
  }

  /**
   * What a run measured.
   *
   * @param inProcessTokensPerSecond output tokens per second generated in-process
   * @param servedTokensPerSecond output tokens per second received over HTTP
   * @param ratio served over in-process
   * @param tokens output tokens per round (equal on both sides)
   * @param inProcessBatch mean sequences per decoding step in-process
   * @param servedBatch mean sequences per decoding step when served
   * @param servedJoined served sequences that joined a batch already decoding (continuous batching)
   * @param warmupPairs the warm-up pairs of rounds run
   * @param compilerShare the JIT compilers' time over the measured rounds' wall time (0 when the JVM does not say)
   */
  public record Result(Options options, double inProcessTokensPerSecond, double servedTokensPerSecond, double ratio,
      long tokens, double inProcessBatch, double servedBatch, long servedJoined, int warmupPairs,
      double compilerShare) {
    public String format() {
      return String.format(Locale.ROOT, """
          ludus serve vs in-process batched generation (same model, same requests and seeds)
            %d concurrent requests x %d tokens, %d rounds per side, %d output tokens per round, served with a \
          %d ms gathering wait
            in-process  %.0f tokens/s
            served      %.0f tokens/s (OpenAI client over loopback HTTP, log-probs and token ids)
            ratio       %.3f  (sequences per decoding step: in-process %.1f, served %.1f; %d served sequences \
          joined a running batch)
            after %d warm-up pairs of rounds; JIT compilers %.1f%% of the measured rounds' wall time""",
          options.concurrent(), options.maxTokens(), options.rounds(), tokens, options.maxWaitMillis(),
          inProcessTokensPerSecond,
          servedTokensPerSecond, ratio, inProcessBatch, servedBatch, servedJoined, warmupPairs, 100 * compilerShare);
    }
  }

  /**
   * Runs the benchmark on a fresh djl-lm model of the default architecture (2 layers, width 64, context 128). The
   * in-process side has a batching worker of its own on the same model, which gathers each round's requests into one
   * first pass (all of them are queued within a millisecond); the served side's worker waits as {@code ludus serve}
   * does ({@link Options#maxWaitMillis}). Rounds alternate, so the two workers never run at once.
   */
  public static Result run(Options o) {
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults()
        .withBatching(Math.max(1, o.concurrent()), o.maxWaitMillis()).withMaxNewTokens(Math.min(o.maxTokens(), 64));
    try (ChatCompletions completions = ChatCompletions.create(config);
        ChatCompletions local = ChatCompletions.sharing(completions.model(), completions.tokenizer(),
            config.withBatching(Math.max(1, o.concurrent()), SERVE_MAX_WAIT_MILLIS));
        ModelServer server = ModelServer.start(null, completions, ModelServer.Options.loopback("bench"));
        PluginContext.Owned context = PluginContext.standalone(Registry.load(), Map.of("served",
            ChatEndpoint.builder().baseUrl(server.baseUrl()).model("bench").apiKeyEnv(null).cacheSize(0)
                .maxRetries(0).maxConcurrency(Math.max(256, o.concurrent())).requestTimeoutMillis(600_000).build()))) {
      ChatClient client = context.chatClient("served");
      int pairs = 0;
      while (true) {
        long w0 = System.nanoTime();
        long c0 = compilerMillis();
        inProcess(local, o, 0);
        served(client, o, 0);
        pairs++;
        double share = (compilerMillis() - c0) * 1e6 / (System.nanoTime() - w0);
        if (o.warmupPairs() > 0 ? pairs >= o.warmupPairs() : share < IDLE_COMPILER_SHARE || pairs >= MAX_WARMUP_PAIRS) {
          break;
        }
      }
      long compiling = compilerMillis();
      long inNanos = 0;
      long servedNanos = 0;
      long tokens = 0;
      ChatCompletions.Statistics in0 = local.statistics();
      ChatCompletions.Statistics served0 = completions.statistics();
      for (int r = 1; r <= o.rounds(); r++) {
        long t0 = System.nanoTime();
        tokens = inProcess(local, o, r);
        inNanos += System.nanoTime() - t0;
        long t1 = System.nanoTime();
        long servedTokens = served(client, o, r);
        servedNanos += System.nanoTime() - t1;
        if (servedTokens != tokens) {
          throw new IllegalStateException("served and in-process generation differ: " + servedTokens + " vs " + tokens
              + " tokens");
        }
      }
      ChatCompletions.Statistics inSide = since(in0, local.statistics());
      ChatCompletions.Statistics servedSide = since(served0, completions.statistics());
      double in = tokens * (double) o.rounds() / (inNanos / 1e9);
      double sv = tokens * (double) o.rounds() / (servedNanos / 1e9);
      double compilerShare = Math.max(0, compilerMillis() - compiling) * 1e6 / (inNanos + servedNanos);
      return new Result(o, in, sv, sv / in, tokens, inSide.meanBatchSize(), servedSide.meanBatchSize(),
          servedSide.joined(), pairs, compilerShare);
    }
  }

  /** The JIT compilers' accumulated time in milliseconds, or 0 when the JVM does not report it. */
  private static long compilerMillis() {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  /** What happened between {@code from} and {@code to}. */
  private static ChatCompletions.Statistics since(ChatCompletions.Statistics from, ChatCompletions.Statistics to) {
    return new ChatCompletions.Statistics(to.items() - from.items(), to.steps() - from.steps(),
        to.rows() - from.rows(), to.largestBatch(), to.joined() - from.joined());
  }

  private static List<Message> conversation(int i) {
    return List.of(Message.system("play a game ."), Message.user("guess a number between 1 and " + (10 + i % 90)));
  }

  private static long inProcess(ChatCompletions completions, Options o, int round) {
    List<CompletableFuture<List<ChatCompletions.Completion>>> all = new ArrayList<>();
    for (int i = 0; i < o.concurrent(); i++) {
      all.add(completions.complete(conversation(i), List.of(),
          new ChatCompletions.Params(1.0, 1.0, o.maxTokens(), List.of(), round * 100_003L + i, 1, 0))
          .toCompletableFuture());
    }
    long tokens = 0;
    for (CompletableFuture<List<ChatCompletions.Completion>> f : all) {
      tokens += f.orTimeout(600, TimeUnit.SECONDS).join().get(0).trace().outputIds().length;
    }
    return tokens;
  }

  private static long served(ChatClient client, Options o, int round) {
    List<CompletableFuture<ChatResult>> all = new ArrayList<>();
    for (int i = 0; i < o.concurrent(); i++) {
      Sampling s = Sampling.builder().temperature(1).seed(round * 100_003L + i).maxTokens(o.maxTokens()).logprobs(true)
          .returnTokenIds(true).build();
      all.add(client.complete(ChatRequest.of(conversation(i), s)).toCompletableFuture());
    }
    long tokens = 0;
    for (CompletableFuture<ChatResult> f : all) {
      ChatResult r = f.orTimeout(600, TimeUnit.SECONDS).join();
      if (!(r instanceof ChatResult.Completion c)) {
        throw new IllegalStateException("a served request failed: " + r);
      }
      tokens += c.first().tokens().outputIds().length;
    }
    return tokens;
  }
}
