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
 * send the same requests with the same seeds, so they generate the same tokens (checked); rounds alternate between the
 * two to share the machine's load fairly. By default every round's requests start together; with continuous load
 * ({@link Load#CONTINUOUS}, as vLLM's {@code benchmark_serving} keeps a fixed concurrency) each client sends its next
 * request as soon as its answer arrives, on both sides (so in-process, the next prompt is rendered on the batching
 * worker, as the served side's worker parses and renders).
 * Warm-up pairs of rounds (unrecorded) run until the JIT compilers are nearly idle: the HTTP path (client, Vert.x,
 * Jackson) is far more Java code than in-process generation, and compiling it in measured rounds took the served
 * side's CPU. It reports each side's CPU per round by thread ({@link CpuMeter}). Not thread-safe; run one at a time.
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
  /**
   * Auto warm-up runs at least this many pairs: the first pair's compilations are mostly still queued when it ends
   * (their time is counted when they finish), so its share can read low.
   */
  static final int MIN_AUTO_WARMUP_PAIRS = 5;
  /**
   * ... and until each side has sent this many requests: code run once per request (the HTTP client, Vert.x and
   * Netty's request path, Jackson, the server's handler) reaches HotSpot's optimising compiler only after about 5,000
   * calls (its tier-4 invocation threshold, raised further while the compile queue is long), so with 64 requests a
   * round the old 25 to 29 pairs (1,600 to 1,900 requests) measured that path in profiling C1 code, while
   * in-process, code run once per token was long optimised.
   */
  static final int MIN_AUTO_WARMUP_REQUESTS = 8_192;
  /** The most warm-up pairs one may ask for. */
  static final int MAX_WARMUP_PAIRS = 500;
  /**
   * ... or after this long: the HTTP path is tens of thousands of bytecodes (client, Vert.x, Netty, Jackson), and a
   * fixed 20 pairs (3 s quiet) left the compilers busy for 94% of the measured rounds' wall time.
   */
  static final int AUTO_WARMUP_SECONDS = 180;

  /** How the clients send their requests. */
  public enum Load {
    /**
     * Closed loop: each client sends its next request as soon as its answer arrives, {@code perClient} requests a
     * round (as vLLM's {@code benchmark_serving} keeps a fixed concurrency), so no request waits for another
     * client's answer and the server's admissions overlap the answers' travel.
     */
    CONTINUOUS,
    /** Lock-step: every client sends one request, and the next round starts when the last answer arrived. */
    ROUNDS
  }

  /**
   * What to run.
   *
   * @param concurrent requests in flight (clients)
   * @param maxTokens tokens per completion
   * @param rounds measured rounds per side (the sides alternate round by round)
   * @param maxWaitMillis the served side's gathering wait when its worker is idle ({@link #SERVE_MAX_WAIT_MILLIS}
   *     as {@code ludus serve} sets it by default; 0 starts at the first request), 0 to 60,000
   * @param warmupPairs warm-up pairs of rounds (one a side), 1 to {@link #MAX_WARMUP_PAIRS}; 0 for as many as it takes
   *     the JIT compilers to fall below {@link #IDLE_COMPILER_SHARE} of a pair's wall time once each side sent {@link
   *     #MIN_AUTO_WARMUP_REQUESTS} requests (see {@link #warmedUp})
   * @param load lock-step rounds or a closed loop per client
   * @param perClient with {@link Load#CONTINUOUS}, the requests each client sends a round, 1 to 1,000 (1 with
   *     {@link Load#ROUNDS})
   */
  public record Options(int concurrent, int maxTokens, int rounds, long maxWaitMillis, int warmupPairs, Load load,
      int perClient) {
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
      java.util.Objects.requireNonNull(load, "load");
      if (perClient < 1 || perClient > 1_000 || load == Load.ROUNDS && perClient != 1) {
        throw new IllegalArgumentException("the serve benchmark's requests per client and round must be 1 to 1000 "
            + "with continuous load and 1 with rounds, was " + perClient + " with " + load.name().toLowerCase(
                Locale.ROOT));
      }
    }

    /** Lock-step rounds, as before continuous load. */
    public Options(int concurrent, int maxTokens, int rounds, long maxWaitMillis, int warmupPairs) {
      this(concurrent, maxTokens, rounds, maxWaitMillis, warmupPairs, Load.ROUNDS, 1);
    }

    /**
     * {@code concurrent} requests a round of {@code maxTokens} tokens in lock-step rounds, {@code rounds} rounds, the
     * default gathering wait, warm-up until the compilers are nearly idle.
     */
    public Options(int concurrent, int maxTokens, int rounds) {
      this(concurrent, maxTokens, rounds, SERVE_MAX_WAIT_MILLIS, 0, Load.ROUNDS, 1);
    }

    public static Options defaults() {
      return new Options(64, 16, 3);
    }

    /** Requests a round, all clients together. */
    int requestsPerRound() {
      return concurrent * perClient;
    }
  }

  /** Requests each client sends a round under continuous load unless told. */
  public static final int DEFAULT_PER_CLIENT = 4;

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
   * @param inProcessCpu milliseconds of CPU per in-process round by thread group (see {@link CpuMeter})
   * @param servedCpu milliseconds of CPU per served round by thread group
   * @param inProcessTimeline where an in-process round's wall time went, milliseconds per round by phase ({@link
   *     Phases})
   * @param servedTimeline where a served round's wall time went
   * @param inProcessWorker where the in-process batching worker's wall time went, milliseconds per round ({@link
   *     #WORKER_ROWS}; first passes as a count per round)
   * @param servedWorker the same for the served side's worker
   */
  public record Result(Options options, double inProcessTokensPerSecond, double servedTokensPerSecond, double ratio,
      long tokens, double inProcessBatch, double servedBatch, long servedJoined, int warmupPairs,
      double compilerShare, Map<String, Double> inProcessCpu, Map<String, Double> servedCpu,
      Map<String, Double> inProcessTimeline, Map<String, Double> servedTimeline,
      Map<String, Double> inProcessWorker, Map<String, Double> servedWorker) {
    public Result {
      inProcessCpu = Map.copyOf(inProcessCpu);
      servedCpu = Map.copyOf(servedCpu);
      inProcessTimeline = Map.copyOf(inProcessTimeline);
      servedTimeline = Map.copyOf(servedTimeline);
      inProcessWorker = Map.copyOf(inProcessWorker);
      servedWorker = Map.copyOf(servedWorker);
    }

    public String format() {
      return String.format(Locale.ROOT, """
          ludus serve vs in-process batched generation (same model, same requests and seeds)
            %d concurrent requests x %d tokens, %s, %d rounds per side, %d output tokens per round, served with a \
          %d ms gathering wait
            in-process  %.0f tokens/s
            served      %.0f tokens/s (OpenAI client over loopback HTTP, log-probs and token ids)
            ratio       %.3f  (sequences per decoding step: in-process %.1f, served %.1f; %d served sequences \
          joined a running batch)
            after %d warm-up pairs of rounds; JIT compilers %.1f%% of the measured rounds' wall time""",
          options.concurrent(), options.maxTokens(), options.load() == Load.ROUNDS ? "lock-step rounds"
              : "continuous load (" + options.perClient() + " requests per client a round, each sent on the last's "
              + "answer)", options.rounds(), tokens, options.maxWaitMillis(),
          inProcessTokensPerSecond,
          servedTokensPerSecond, ratio, inProcessBatch, servedBatch, servedJoined, warmupPairs, 100 * compilerShare)
          + String.format(Locale.ROOT, "%n  by CPU time: in-process %.0f, served %.0f tokens per CPU-second of the "
              + "process (ratio %.3f); without the JIT compilers' CPU, ratio %.3f", cpuRate(inProcessCpu),
              cpuRate(servedCpu), cpuRate(servedCpu) / cpuRate(inProcessCpu),
              withoutJit(servedCpu) / withoutJit(inProcessCpu))
          + "\n  CPU per round (ms) by thread, in-process / served:" + cpuTable()
          + "\n  wall time per round (ms) by phase, in-process / served:" + table(Phases.NAMES, inProcessTimeline,
              servedTimeline)
          + "\n  the batching worker's wall time per round (ms), in-process / served:" + table(WORKER_ROWS,
              inProcessWorker, servedWorker);
    }

    /** Output tokens per CPU-second of the whole process (JIT and GC included), from a side's CPU per round. */
    private double cpuRate(Map<String, Double> cpu) {
      double millis = cpu.getOrDefault("whole process", 0.0);
      return millis > 0 ? tokens / (millis / 1e3) : 0;
    }

    /** Output tokens per CPU-second of the process less its JIT compiler threads (0 when unknown). */
    private double withoutJit(Map<String, Double> cpu) {
      double millis = cpu.getOrDefault("whole process", 0.0) - cpu.getOrDefault("  of which JIT compilers", 0.0);
      return millis > 0 ? tokens / (millis / 1e3) : 0;
    }

    private String cpuTable() {
      return table(CpuMeter.GROUPS, inProcessCpu, servedCpu);
    }

    private static String table(List<String> rows, Map<String, Double> left, Map<String, Double> right) {
      StringBuilder sb = new StringBuilder();
      for (String row : rows) {
        sb.append(String.format(Locale.ROOT, "\n    %-40s %7.1f / %7.1f", row, left.getOrDefault(row, 0.0),
            right.getOrDefault(row, 0.0)));
      }
      return sb.toString();
    }
  }

  /** The rows of {@link Result#servedWorker}, from {@link ChatCompletions.WorkerTime}. */
  static final List<String> WORKER_ROWS = List.of("first passes (count)", "preparing requests",
      "first passes", "decoding steps", "sampling", "answering");

  /** {@code t} (over {@code rounds} rounds) per round: first passes as a count, the rest in milliseconds. */
  static Map<String, Double> perRound(ChatCompletions.WorkerTime t, int rounds) {
    double[] v = {t.firstPasses(), t.preparing() / 1e6, t.admitting() / 1e6, t.stepping() / 1e6,
        t.sampling() / 1e6, t.answering() / 1e6};
    Map<String, Double> out = new java.util.HashMap<>();
    for (int i = 0; i < v.length; i++) {
      out.put(WORKER_ROWS.get(i), v[i] / rounds);
    }
    return out;
  }

  /**
   * Where a round's wall time goes, from the batching worker's {@link ChatCompletions#timeline()}: from the round's
   * start to the first request reaching the worker's queue, from there to its first admission (the requests still
   * arriving, being prepared, the gathering wait), from there to the last decoding step's end (generation, with any
   * admissions of late arrivals), and from there to the round's end (answers built, sent and read; with continuous
   * load also the clients' next requests). The four add up to the round. Not thread-safe.
   */
  static final class Phases {
    static final List<String> NAMES = List.of("start to first arrival at the worker",
        "first arrival to first admission", "first admission to last decoding step", "last step to round end",
        "(arrivals spread, first to last)");
    private final double[] millis = new double[NAMES.size()];

    /** Adds a round that ran from {@code start} to {@code end} (nanoTime) with timeline {@code t}. */
    void add(long start, long end, ChatCompletions.Timeline t) {
      if (t.firstArrival() == 0 || t.firstAdmission() == 0 || t.lastStep() == 0) {
        return; // nothing ran (cannot happen in a round that generated tokens)
      }
      long[] at = {start, t.firstArrival(), t.firstAdmission(), t.lastStep(), end};
      for (int i = 0; i < 4; i++) {
        millis[i] += (at[i + 1] - at[i]) / 1e6;
      }
      millis[4] += (t.lastArrival() - t.firstArrival()) / 1e6;
    }

    Map<String, Double> perRound(int rounds) {
      Map<String, Double> out = new java.util.HashMap<>();
      for (int i = 0; i < NAMES.size(); i++) {
        out.put(NAMES.get(i), millis[i] / rounds);
      }
      return out;
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
      int idlePairs = 0;
      long warmupStart = System.nanoTime();
      while (true) {
        long w0 = System.nanoTime();
        long c0 = compilerMillis();
        inProcess(local, o, 0);
        served(client, o, 0);
        pairs++;
        double share = (compilerMillis() - c0) * 1e6 / (System.nanoTime() - w0);
        idlePairs = share < IDLE_COMPILER_SHARE ? idlePairs + 1 : 0;
        if (o.warmupPairs() > 0 ? pairs >= o.warmupPairs() : warmedUp(pairs, (long) pairs
            * o.requestsPerRound(), idlePairs, System.nanoTime() - warmupStart)) {
          break;
        }
      }
      long compiling = compilerMillis();
      long inNanos = 0;
      long servedNanos = 0;
      long tokens = 0;
      ChatCompletions.Statistics in0 = local.statistics();
      ChatCompletions.Statistics served0 = completions.statistics();
      ChatCompletions.WorkerTime inWorker0 = local.workerTime();
      ChatCompletions.WorkerTime servedWorker0 = completions.workerTime();
      CpuMeter inCpu = new CpuMeter();
      CpuMeter servedCpu = new CpuMeter();
      Phases inPhases = new Phases();
      Phases servedPhases = new Phases();
      for (int r = 1; r <= o.rounds(); r++) {
        inCpu.start();
        local.resetTimeline();
        long t0 = System.nanoTime();
        tokens = inProcess(local, o, r);
        long t0end = System.nanoTime();
        inNanos += t0end - t0;
        inCpu.stop();
        inPhases.add(t0, t0end, local.timeline());
        servedCpu.start();
        completions.resetTimeline();
        long t1 = System.nanoTime();
        long servedTokens = served(client, o, r);
        long t1end = System.nanoTime();
        servedNanos += t1end - t1;
        servedCpu.stop();
        servedPhases.add(t1, t1end, completions.timeline());

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
          servedSide.joined(), pairs, compilerShare, inCpu.perRound(o.rounds()), servedCpu.perRound(o.rounds()),
          inPhases.perRound(o.rounds()), servedPhases.perRound(o.rounds()),
          perRound(local.workerTime().since(inWorker0), o.rounds()),
          perRound(completions.workerTime().since(servedWorker0), o.rounds()));
    }
  }

  /**
   * Whether auto warm-up is over after {@code pairs} pairs in which each side sent {@code requests} requests, the
   * last {@code idlePairs} of them with the compilers nearly idle ({@link #IDLE_COMPILER_SHARE}), {@code nanos} after
   * it began: after {@link #MIN_AUTO_WARMUP_PAIRS} pairs and {@link #MIN_AUTO_WARMUP_REQUESTS} requests a side once
   * the compilers were nearly idle for {@link #IDLE_PAIRS} pairs in a row, or after {@link #AUTO_WARMUP_SECONDS}
   * whatever else.
   */
  static boolean warmedUp(int pairs, long requests, int idlePairs, long nanos) {
    return nanos > TimeUnit.SECONDS.toNanos(AUTO_WARMUP_SECONDS) || pairs >= MIN_AUTO_WARMUP_PAIRS
        && requests >= MIN_AUTO_WARMUP_REQUESTS && idlePairs >= IDLE_PAIRS;
  }

  /**
   * Pairs in a row with the compilers nearly idle that end auto warm-up: a compilation's time counts when it ends,
   * so one pair in which none ended reads idle; after one such pair the compilers were 141% busy in the measured
   * rounds (load 10).
   */
  static final int IDLE_PAIRS = 3;

  /**
   * CPU time by thread group, summed over the intervals between {@link #start} and {@link #stop}: the batching
   * workers, the server's answer thread, the Vert.x event loops (the server's and the client's), the benchmark's own
   * thread (which sends the requests and, in-process, renders the prompts), other Java threads, and the rest of the
   * process (JIT compilers, GC, PyTorch's native threads): the process's CPU time less its Java threads'.
   */
  static final class CpuMeter {
    static final List<String> GROUPS = List.of("batching worker", "answer thread", "event loops", "benchmark thread",
        "other Java threads", "JIT, GC and native threads", "  of which JIT compilers", "  of which GC and VM",
        "whole process");
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private final Map<Long, String> names = new java.util.HashMap<>();
    private final Map<String, Long> nanos = new java.util.HashMap<>();
    private Map<Long, Long> before = Map.of();
    private long processBefore;
    private long[] nativeBefore = new long[2];

    void start() {
      before = snapshot();
      processBefore = processCpu();
      nativeBefore = JvmThreadCpu.nanos();
    }

    void stop() {
      long[] vm = JvmThreadCpu.nanos();
      nanos.merge("  of which JIT compilers", Math.max(0, vm[0] - nativeBefore[0]), Long::sum);
      nanos.merge("  of which GC and VM", Math.max(0, vm[1] - nativeBefore[1]), Long::sum);
      long process = processCpu() - processBefore;
      long java = 0;
      for (Map.Entry<Long, Long> e : snapshot().entrySet()) {
        long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
        java += d;
        nanos.merge(group(e.getKey()), d, Long::sum);
      }
      nanos.merge("JIT, GC and native threads", Math.max(0, process - java), Long::sum);
      nanos.merge("whole process", process, Long::sum);
    }

    Map<String, Double> perRound(int rounds) {
      Map<String, Double> out = new java.util.HashMap<>();
      nanos.forEach((k, v) -> out.put(k, v / 1e6 / rounds));
      return out;
    }

    private Map<Long, Long> snapshot() {
      Map<Long, Long> out = new java.util.HashMap<>();
      if (!threads.isThreadCpuTimeSupported()) {
        return out;
      }
      for (long id : threads.getAllThreadIds()) {
        long t = threads.getThreadCpuTime(id);
        if (t >= 0) {
          out.put(id, t);
        }
      }
      return out;
    }

    private String group(long id) {
      String name = names.computeIfAbsent(id, i -> {
        java.lang.management.ThreadInfo info = threads.getThreadInfo(i);
        return info == null ? "" : info.getThreadName();
      });
      if (id == Thread.currentThread().getId()) {
        return "benchmark thread";
      }
      return name.startsWith("serve-worker") ? "batching worker" : name.startsWith("serve-answers") ? "answer thread"
          : name.startsWith("vert.x-eventloop") ? "event loops" : "other Java threads";
    }

    private static long processCpu() {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
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
    return clients(o, round, (i, seed) -> completions.complete(conversation(i), List.of(),
        new ChatCompletions.Params(1.0, 1.0, o.maxTokens(), List.of(), seed, 1, 0))
        .thenApply(c -> (long) c.get(0).trace().outputIds().length));
  }

  private static long served(ChatClient client, Options o, int round) {
    return clients(o, round, (i, seed) -> client.complete(ChatRequest.of(conversation(i), Sampling.builder()
        .temperature(1).seed(seed).maxTokens(o.maxTokens()).logprobs(true).returnTokenIds(true).build()))
        .thenApply(r -> {
          if (!(r instanceof ChatResult.Completion c)) {
            throw new IllegalStateException("a served request failed: " + r);
          }
          return (long) c.first().tokens().outputIds().length;
        }));
  }

  /**
   * One round: each client sends {@link Options#perClient} requests, each as soon as the previous one's answer came
   * (all clients start together), and the round ends when the last answer arrived; the output tokens. Request
   * {@code k} of client {@code i} asks for conversation {@code i} with a seed of the round, {@code i} and {@code k},
   * so both sides send the same requests.
   */
  private static long clients(Options o, int round, java.util.function.BiFunction<Integer, Long,
      java.util.concurrent.CompletionStage<Long>> send) {
    java.util.concurrent.atomic.AtomicLong tokens = new java.util.concurrent.atomic.AtomicLong();
    List<CompletableFuture<Void>> all = new ArrayList<>(o.concurrent());
    for (int i = 0; i < o.concurrent(); i++) {
      all.add(client(i, 0, o, round, send, tokens));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(600, TimeUnit.SECONDS).join();
    return tokens.get();
  }

  private static CompletableFuture<Void> client(int i, int k, Options o, int round,
      java.util.function.BiFunction<Integer, Long, java.util.concurrent.CompletionStage<Long>> send,
      java.util.concurrent.atomic.AtomicLong tokens) {
    long seed = ((long) round * 1_000 + k) * 100_003L + i;
    return send.apply(i, seed).toCompletableFuture().thenCompose(t -> {
      tokens.addAndGet(t);
      return k + 1 < o.perClient() ? client(i, k + 1, o, round, send, tokens)
          : CompletableFuture.<Void>completedFuture(null);
    });
  }
}
