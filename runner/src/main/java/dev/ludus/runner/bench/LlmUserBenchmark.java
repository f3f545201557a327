package dev.ludus.runner.bench;

import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.agents.serve.JvmThreadCpu;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.metrics.ProcessCpu;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ludus bench llm-users}: episodes per second of the generic {@code llm-user} at a fixed concurrency against
 * the mock OpenAI server (in a process of its own) with a fixed latency, against the Little's-law bound
 * {@code concurrency / (calls per episode x latency)}. Each episode is the user's opening and {@code turns} answers to
 * a scripted agent; the mock echoes, so no episode ends early. The driver keeps {@code concurrency} episodes in flight
 * (each finished episode starts the next); a warm-up that lasts until the JIT compilers are nearly idle precedes the
 * measured episodes, without a pause between them (see {@link #drive}). It also reports
 * this JVM's CPU time per user-model request (the simulator, its templates and the shared chat client), in all and
 * without the JIT compilers' threads (which, on a loaded machine, are still compiling the hot path well after the
 * warm-up; read from Linux's {@code /proc/self/task}, else not separated). Not thread-safe; run one at a time.
 */
public final class LlmUserBenchmark {
  private LlmUserBenchmark() {}

  /**
   * What to run.
   *
   * @param concurrency episodes in flight
   * @param episodes measured episodes
   * @param turns agent messages per episode (the user answers each; plus its opening)
   * @param latencyMillis the mock's latency per request
   */
  public record Options(int concurrency, int episodes, int turns, long latencyMillis) {
    public Options {
      if (concurrency < 1 || episodes < 1 || turns < 0 || latencyMillis < 1) {
        throw new IllegalArgumentException("llm-users benchmark options must be positive: concurrency " + concurrency
            + ", episodes " + episodes + ", turns " + turns + ", latencyMillis " + latencyMillis);
      }
    }

    public static Options defaults() {
      return new Options(512, 2048, 3, 200);
    }
  }

  /** What a run measured. */
  public record Result(Options options, double seconds, double episodesPerSecond, double littleBound, double ratio,
      long failures, double clientCpuMicrosPerRequest, double clientCpuMicrosPerRequestWithoutJit, int measured,
      int warmupEpisodes, boolean jitQuiet) {
    public String format() {
      return String.format(Locale.ROOT, """
          llm-user episodes against the mock server in its own process (%d ms latency)
            concurrency %d, %d episodes of %d user-model calls each (after %d warm-up, ended %s), %d failures
            achieved      %.1f episodes/s in %.2f s
            Little bound  %.1f episodes/s (concurrency / (calls x latency))
            ratio         %.3f
            client CPU    %.0f us per user-model request, %.0f us without the JIT compilers (%d cores shared)""",
          options.latencyMillis(), options.concurrency(), measured, options.turns() + 1, warmupEpisodes,
          jitQuiet ? "with the JIT compilers nearly idle" : "at its cap with the JIT compilers still busy", failures,
          episodesPerSecond, seconds, littleBound, ratio, clientCpuMicrosPerRequest,
          clientCpuMicrosPerRequestWithoutJit,
          Runtime.getRuntime().availableProcessors());
    }
  }

  public static Result run(Options o) throws IOException, InterruptedException {
    try (MockServerProcess server = MockServerProcess.start(o.latencyMillis(), List.of())) {
      ChatEndpoint endpoint = ChatEndpoint.builder().baseUrl(server.baseUrl()).model("bench")
          .apiKeyEnv(null).maxConcurrency(Math.max(o.concurrency(), 1)).cacheSize(0).requestTimeoutMillis(60_000)
          .build();
      try (PluginContext.Owned context = PluginContext.standalone(Registry.load(), Map.of("user-model", endpoint))) {
        PluginRef user = PluginRef.of("llm-user", Map.of("scenario", "You want to move your flight to Friday.",
            "persona", "A busy nurse.", "maxTokens", 64));
        return drive(context, user, o);
      }
    }
  }

  /** Finished episodes between two checkpoints (a power of two): the window starts and ends on one. */
  private static final int CHECKPOINT_EVERY = 128;

  /** Checkpoints between two looks at the JIT compilers during the warm-up. */
  private static final int JIT_CHECK_EVERY = 4;

  /** The warm-up's episodes: at least this many times the concurrency ... */
  private static final int MIN_WARMUP_FACTOR = 2;

  /** ... and at most this many times, while the JIT compilers are busy. */
  private static final int MAX_WARMUP_FACTOR = 100;

  /**
   * Keeps {@code concurrency} episodes in flight without pause (each finished episode starts the next): a warm-up of
   * at least {@value #MIN_WARMUP_FACTOR} times the concurrency in episodes, going on (up to {@value
   * #MAX_WARMUP_FACTOR} times) until the JIT compilers' threads used at most a tenth of the process's CPU in two looks
   * running, then a window of {@code episodes} finished episodes (rounded up to a checkpoint), from one finished
   * episode to another: the steady state, without the synchronized first wave or the draining tail. Every finished
   * episode runs the same code in the warm-up and in the window (a branch taken only once the window starts would
   * deoptimize the compiled hot path, whose recompiling the window would then measure); every {@value
   * #CHECKPOINT_EVERY} episodes it hands a checkpoint to the calling thread, which does the looking and timing.
   */
  private static Result drive(PluginContext context, PluginRef user, Options o) throws InterruptedException {
    int window = (o.episodes() + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY * CHECKPOINT_EVERY;
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicLong failures = new AtomicLong();
    AtomicInteger total = new AtomicInteger(Integer.MAX_VALUE);
    LinkedBlockingQueue<long[]> checkpoints = new LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(1);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      int i = started.getAndIncrement();
      if (i >= total.get()) {
        return;
      }
      UserSimulator u = context.simulator(user);
      episode(u, i, o.turns()).whenComplete((ok, e) -> {
        u.close();
        long now = System.nanoTime();
        if (e != null) {
          failures.incrementAndGet();
        }
        int c = finished.incrementAndGet();
        if ((c & (CHECKPOINT_EVERY - 1)) == 0) {
          checkpoints.add(new long[] {c, now, failures.get()});
        }
        if (c == total.get()) {
          done.countDown();
        }
        next[0].run();
      });
    };
    for (int i = 0; i < o.concurrency(); i++) {
      next[0].run();
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    long[] lastLook = cpuAndJitNanos();
    int quietLooks = 0;
    int looks = 0;
    long[] first;
    boolean jitQuiet;
    while (true) {
      first = checkpoint(checkpoints, deadline);
      if (++looks % JIT_CHECK_EVERY != 0) {
        continue;
      }
      long[] now = cpuAndJitNanos();
      long all = now[0] - lastLook[0];
      long jit = now[1] - lastLook[1];
      lastLook = now;
      quietLooks = all <= 0 || jit * 10 <= all ? quietLooks + 1 : 0;
      jitQuiet = quietLooks >= 2;
      long warmed = first[0];
      if (warmed >= (long) o.concurrency() * MIN_WARMUP_FACTOR
          && (jitQuiet || warmed >= (long) o.concurrency() * MAX_WARMUP_FACTOR)) {
        break;
      }
    }
    int from = (int) first[0];
    total.set(from + window + o.concurrency());
    long[] cpu0 = cpuAndJitNanos();
    long[] last;
    do {
      last = checkpoint(checkpoints, deadline);
    } while (last[0] < from + window);
    long[] cpu1 = cpuAndJitNanos();
    if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("llm-users benchmark: episodes did not finish within 30 minutes");
    }
    int episodes = (int) (last[0] - from);
    double seconds = (last[1] - first[1]) / 1e9;
    long cpu = cpu1[0] - cpu0[0];
    double withoutJit = Math.max(0, cpu - (cpu1[1] - cpu0[1]));
    double rate = episodes / seconds;
    double bound = o.concurrency() / ((o.turns() + 1) * o.latencyMillis() / 1000.0);
    double requests = (double) episodes * (o.turns() + 1);
    return new Result(o, seconds, rate, bound, rate / bound, last[2] - first[2], cpu / 1e3 / requests,
        withoutJit / 1e3 / requests, episodes, from, jitQuiet);
  }

  /** The next checkpoint ({finished, nanoTime, failures}); fails when the run takes longer than {@code deadline}. */
  private static long[] checkpoint(LinkedBlockingQueue<long[]> checkpoints, long deadline)
      throws InterruptedException {
    long[] c = checkpoints.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (c == null) {
      throw new IllegalStateException("llm-users benchmark: episodes did not finish within 30 minutes");
    }
    return c;
  }

  /**
   * This process's CPU time ({@link ProcessCpu}) and that of its JIT compiler threads ({@link JvmThreadCpu}, at the
   * kernel's tick resolution) so far, in nanoseconds.
   */
  private static long[] cpuAndJitNanos() {
    return new long[] {ProcessCpu.nanos(), JvmThreadCpu.nanos()[0]};
  }

  private static CompletionStage<UserTurn> episode(UserSimulator u, int i, int turns) {
    CompletionStage<UserTurn> s = u.start(Task.generated("bench", i), i);
    for (int t = 0; t < turns; t++) {
      int turn = t;
      s = s.thenCompose(said -> said.ended() ? CompletableFuture.completedFuture(said)
          : u.respond(Message.assistant("Sure, let me look into that (" + turn + ").")));
    }
    return s;
  }
}
