package dev.ludus.agents.openai;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Throughput of the {@code openai} backend (the agent over a chat client of its own, so the adapter and the
 * client's transport are both measured) against a server with fixed latency: how close it gets to the
 * Little's-law bound {@code concurrency / latency} (1000 in flight at 200 ms: 5000 requests/s).
 *
 * <p>The mock server ({@link MockOpenAiServer}) runs in a process of its own, started with this JVM's
 * {@code java} and class path, so that the measured JVM holds only the client. The driver keeps
 * {@code concurrency} turns in flight without pause (each completion starts the next): a warm-up that opens
 * the connections, warms the JIT (until its compilers are nearly idle) and lets the first synchronized wave spread
 * out, then the measured turns, timed from the last warm-up completion to the last measured one (the steady state).
 * Requests ask for log-probs and vLLM token ids, as a training run would. It reports requests/s, the bound, their
 * ratio, latency percentiles, the peak and retained heap of the client JVM, and the CPU time per request of the
 * client JVM (in all and without its JIT compilers' threads, with where it went: {@link ThreadCpu}) and of the mock
 * server's process. Not thread-safe; run one at a time. A test fixture (the {@code agents}
 * test-jar): {@code ludus bench agents} runs its {@link #main} in a process of its own, which starts the mock.
 */
public final class OpenAiThroughputBenchmark {

  /**
   * What to run.
   *
   * @param concurrency turns kept in flight (and the agent's {@code maxConcurrency})
   * @param requests measured turns
   * @param warmupRequests turns before measuring
   * @param latencyMillis the mock server's latency per request
   */
  public record Options(int concurrency, int requests, int warmupRequests, long latencyMillis) {
    public Options {
      if (concurrency < 1 || requests < 1 || warmupRequests < 0 || latencyMillis < 1) {
        throw new IllegalArgumentException("benchmark options must be positive: concurrency " + concurrency
            + ", requests " + requests + ", warmupRequests " + warmupRequests + ", latencyMillis " + latencyMillis);
      }
    }

    /**
     * 1000 in flight, 20000 measured (about 4 s at the bound: the CPU times are read in 10 ms clock ticks) after at
     * least 20000 warm-up (the JIT needs that many turns: with 3000 the ratio is about 0.85 on 2 cores), 200 ms
     * latency.
     */
    public static Options defaults() {
      return new Options(1000, 20_000, 20_000, 200);
    }
  }

  /**
   * What a run measured.
   *
   * @param options what was run
   * @param seconds wall time of the measured requests
   * @param requestsPerSecond measured requests over {@code seconds}
   * @param littleBound {@code concurrency / latency}: the most any client can achieve
   * @param ratio {@code requestsPerSecond / littleBound}
   * @param failures measured turns that ended as failures
   * @param p50Millis median turn latency
   * @param p99Millis 99th-percentile turn latency
   * @param peakHeapBytes the client JVM's peak heap use during the measured requests
   * @param retainedHeapBytes heap in use after the run and a garbage collection
   * @param clientCpuMicrosPerRequest CPU time of this JVM per measured request
   * @param serverCpuMicrosPerRequest CPU time of the mock server's process per measured request (-1 if unknown)
   * @param clientCpu where the client JVM's CPU time went in the window ({@link ThreadCpu#NONE} where the system does
   *     not say)
   * @param serverCpu where the mock server process's CPU time went in the window (or {@link ThreadCpu#NONE})
   * @param warmupTurns the turns completed before the window (at least {@code options.warmupRequests()})
   * @param measured the turns in the window ({@code options.requests()} rounded up to a checkpoint)
   * @param jitQuiet whether the warm-up ended because the JIT compilers were nearly idle (else it hit its cap)
   */
  public record Result(Options options, double seconds, double requestsPerSecond, double littleBound, double ratio,
      long failures, double p50Millis, double p99Millis, long peakHeapBytes, long retainedHeapBytes,
      double clientCpuMicrosPerRequest, double serverCpuMicrosPerRequest, ThreadCpu clientCpu, ThreadCpu serverCpu, int warmupTurns,
      int measured, boolean jitQuiet) {

    /** The client's CPU per request without its JIT compilers' threads (the total where the system does not say). */
    public double clientCpuMicrosPerRequestWithoutJit() {
      return clientCpu.withoutJit(clientCpuMicrosPerRequest);
    }

    /** A few lines for people. */
    public String format() {
      return String.format(Locale.ROOT, """
          openai backend throughput (mock server in its own process, %d ms latency)
            concurrency %d, %d requests (after %d warm-up, ended %s), %d failures
            achieved      %.0f requests/s in %.2f s
            Little bound  %.0f requests/s (concurrency / latency)
            ratio         %.3f
            latency       p50 %.1f ms, p99 %.1f ms
            client heap   peak %.1f MiB, retained after GC %.1f MiB
            CPU/request   client %.0f us (%.0f us without the JIT compilers), mock server %.0f us (%.0f us)
                          (%d cores shared)%s%s""",
          options.latencyMillis(), options.concurrency(), measured, warmupTurns,
          jitQuiet ? "with the JIT compilers nearly idle" : "at its cap with the JIT compilers still busy", failures,
          requestsPerSecond, seconds, littleBound, ratio, p50Millis, p99Millis,
          peakHeapBytes / 1048576.0, retainedHeapBytes / 1048576.0, clientCpuMicrosPerRequest,
          clientCpuMicrosPerRequestWithoutJit(), serverCpuMicrosPerRequest,
          serverCpu.withoutJit(serverCpuMicrosPerRequest), Runtime.getRuntime().availableProcessors(),
          clientCpu == ThreadCpu.NONE ? "" : "\n" + clientCpu.format("client CPU"),
          serverCpu == ThreadCpu.NONE ? "" : "\n" + serverCpu.format("server CPU"));
    }
  }

  private OpenAiThroughputBenchmark() {}

  /** Runs the benchmark: starts the mock server process, drives the backend, stops the process. */
  public static Result run(Options options) throws IOException, InterruptedException {
    Process server = startServer(options.latencyMillis());
    try {
      int port = awaitPort(server);
      OpenAiAgentProvider.Config config = OpenAiAgentProvider.Config.builder()
          .baseUrl("http://127.0.0.1:" + port + "/v1")
          .model("bench")
          .apiKeyEnv(null)
          .logprobs(true)
          .returnTokenIds(true)
          .maxConcurrency(options.concurrency())
          .requestTimeoutMillis(60_000)
          .maxRetries(0)
          .cacheSize(0)
          .build();
      try (OpenAiAgent agent = new OpenAiAgent(config)) {
        Window w = drive(agent, options, server);
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long[] latencies = w.latencies().clone();
        Arrays.sort(latencies);
        double seconds = w.nanos() / 1e9;
        double rps = w.requests() / seconds;
        double bound = options.concurrency() * 1000.0 / options.latencyMillis();
        return new Result(options, seconds, rps, bound, rps / bound, w.failures(),
            latencies[latencies.length / 2] / 1e6,
            latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6,
            w.peakHeapBytes(), retained, w.clientCpuNanos() / 1e3 / w.requests(),
            w.serverCpuNanos() < 0 ? -1 : w.serverCpuNanos() / 1e3 / w.requests(), w.threads(),
            w.serverThreads(), w.warmedUp(), w.requests(), w.jitQuiet());
      }
    } finally {
      server.getOutputStream().close();
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** The measured window of a run, and the warm-up turns before it. */
  private record Window(long nanos, int requests, long[] latencies, long failures, long peakHeapBytes,
      long clientCpuNanos, long serverCpuNanos, ThreadCpu threads, ThreadCpu serverThreads, int warmedUp,
      boolean jitQuiet) {}

  /** Completions between two checkpoints (a power of two): the window starts and ends on one. */
  private static final int CHECKPOINT_EVERY = 1024;

  /** Checkpoints between two looks at the JIT compilers during the warm-up. */
  private static final int JIT_CHECK_EVERY = 2;

  /** The warm-up goes on past {@code warmupRequests} (up to this many times it) while the JIT compilers are busy. */
  private static final int MAX_WARMUP_FACTOR = 20;

  /**
   * Keeps {@code concurrency} turns in flight without pause: warm-up, then the measured turns, then enough more that
   * the pipeline stays full until the last measured turn completes. The window runs from a completion at the end of
   * the warm-up to the completion {@code requests} (rounded up to a checkpoint) later, so it measures the steady
   * state, not the synchronized first wave or the draining tail. The warm-up lasts at least {@code warmupRequests}
   * turns, and goes on (up to {@value #MAX_WARMUP_FACTOR} times as many) until the JIT compilers' threads used at
   * most a tenth of the JVM's CPU time in each of the last two looks (one per {@value #JIT_CHECK_EVERY} checkpoints).
   *
   * <p>Every completion runs the same code in the warm-up and in the window: it writes its latency into a ring
   * and, every {@value #CHECKPOINT_EVERY} completions, hands a checkpoint to the calling thread, which does all the
   * looking (the JIT, CPU times, heap) and decides when the window starts and ends. An earlier driver took another
   * branch once the window began, and since the whole client is inlined into the completion handler (each completion
   * starts the next turn), that branch's first use deoptimized the compiled hot path: the window then measured the
   * JIT recompiling it (about half the client's CPU), not the steady state a long run sees.
   */
  private static Window drive(OpenAiAgent agent, Options o, Process server) throws InterruptedException {
    int window = (o.requests() + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY * CHECKPOINT_EVERY;
    int ringSize = Integer.highestOneBit(Math.max(1 << 16, 2 * (window + o.concurrency() + CHECKPOINT_EVERY)) - 1) << 1;
    int mask = ringSize - 1;
    // a completion's latency in nanoseconds, negative when it failed; by completion number
    AtomicLongArray ring = new AtomicLongArray(ringSize);
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    // the turns to issue in all (set when the window starts)
    AtomicInteger total = new AtomicInteger(Integer.MAX_VALUE);
    LinkedBlockingQueue<long[]> checkpoints = new LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(1);
    AgentRequest[] requests = new AgentRequest[64];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = new AgentRequest("bench-" + i, Task.generated("bench", i), i, 0,
          List.of(Message.system("You are a terse assistant."), Message.user("Question number " + i + ": why?")),
          List.of());
    }
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      int i = issued.getAndIncrement();
      if (i >= total.get()) {
        return;
      }
      long t0 = System.nanoTime();
      agent.act(requests[i & (requests.length - 1)]).whenComplete((r, e) -> {
        long now = System.nanoTime();
        int c = completed.incrementAndGet();
        long latency = now - t0;
        ring.set(c & mask, e != null || r instanceof AgentResponse.Failure ? -1 - latency : latency);
        if ((c & (CHECKPOINT_EVERY - 1)) == 0) {
          checkpoints.add(new long[] {c, now});
        }
        if (c == total.get()) {
          done.countDown();
        }
        next[0].run();
      });
    };
    for (int k = 0; k < o.concurrency(); k++) {
      next[0].run();
    }
    String serverPid = String.valueOf(server.pid());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    ThreadCpu lastLook = ThreadCpu.now();
    int quietLooks = 0;
    int looks = 0;
    long[] first;
    boolean jitQuiet;
    while (true) {
      first = checkpoint(checkpoints, deadline, issued, completed);
      if (++looks % JIT_CHECK_EVERY != 0) {
        continue;
      }
      ThreadCpu now = ThreadCpu.now();
      ThreadCpu step = now.since(lastLook);
      lastLook = now;
      quietLooks = step == ThreadCpu.NONE || step.jit() * 10 <= step.total() ? quietLooks + 1 : 0;
      jitQuiet = quietLooks >= 2;
      if (first[0] >= o.warmupRequests()
          && (jitQuiet || first[0] >= (long) o.warmupRequests() * MAX_WARMUP_FACTOR)) {
        break;
      }
    }
    int from = (int) first[0];
    total.set(from + window + o.concurrency());
    long cpu0 = processCpu();
    long serverCpu0 = serverCpu(server);
    ThreadCpu threads0 = ThreadCpu.now();
    ThreadCpu serverThreads0 = ThreadCpu.of(serverPid);
    resetPeaks();
    long[] last;
    do {
      last = checkpoint(checkpoints, deadline, issued, completed);
    } while (last[0] < from + window);
    long peak = peakHeap();
    long cpu1 = processCpu();
    long serverCpu1 = serverCpu(server);
    ThreadCpu threads1 = ThreadCpu.now();
    ThreadCpu serverThreads1 = ThreadCpu.of(serverPid);
    if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("benchmark did not finish: " + (issued.get() - completed.get())
          + " turns outstanding");
    }
    int to = (int) last[0];
    long[] latencies = new long[to - from];
    long failures = 0;
    for (int c = from + 1; c <= to; c++) {
      long v = ring.get(c & mask);
      if (v < 0) {
        failures++;
        v = -1 - v;
      }
      latencies[c - from - 1] = v;
    }
    return new Window(last[1] - first[1], to - from, latencies, failures, peak, cpu1 - cpu0,
        serverCpu0 < 0 || serverCpu1 < 0 ? -1 : serverCpu1 - serverCpu0, threads1.since(threads0),
        serverThreads1.since(serverThreads0), from, jitQuiet);
  }

  /** The next checkpoint ({completions, nanoTime}); fails when the run takes longer than {@code deadline}. */
  private static long[] checkpoint(BlockingQueue<long[]> checkpoints, long deadline,
      AtomicInteger issued, AtomicInteger completed) throws InterruptedException {
    long[] c = checkpoints.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (c == null) {
      throw new IllegalStateException("benchmark did not finish: " + (issued.get() - completed.get())
          + " turns outstanding after " + completed.get() + " completions");
    }
    return c;
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long serverCpu(Process server) {
    return server.info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
  }

  private static Process startServer(long latencyMillis) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        MockOpenAiServer.class.getName(), "0", String.valueOf(latencyMillis), "--exit-on-stdin-eof");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  private static int awaitPort(Process server) throws IOException, InterruptedException {
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("listening on ")) {
            return Integer.parseInt(line.substring("listening on ".length()).trim());
          }
        }
        throw new IllegalStateException("mock server exited without listening (exit " + server.waitFor() + ")");
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot read the mock server's output: " + e, e);
      }
    });
    try {
      return port.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("mock server did not say 'listening on PORT' within 60 s");
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Arguments: {@code [requests [concurrency [latencyMillis [warmupRequests]]]]}; prints the result. */
  public static void main(String[] args) throws Exception {
    Options d = Options.defaults();
    Options o = new Options(
        args.length > 1 ? Integer.parseInt(args[1]) : d.concurrency(),
        args.length > 0 ? Integer.parseInt(args[0]) : d.requests(),
        args.length > 3 ? Integer.parseInt(args[3]) : d.warmupRequests(),
        args.length > 2 ? Long.parseLong(args[2]) : d.latencyMillis());
    System.out.println(run(o).format());
  }
}
