package dev.ludus.runner.bench;

import dev.ludus.agents.openai.ChatClientPool;
import dev.ludus.agents.openai.ChatClientStats;
import dev.ludus.agents.openai.OpenAiAgent;
import dev.ludus.agents.openai.OpenAiAgentProvider;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Registry;
import dev.ludus.api.ToolCall;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The faulty-server check of issue 16: {@code guess-number} episodes played by the {@code openai} agent against the
 * mock OpenAI server misbehaving on a fixed share of its requests (by default 60% answered, 10% 500, 10% 429 with
 * {@code Retry-After}, 5% malformed JSON, 5% truncated bodies, 2% hangs, 8% tool-call replies), with the agent's
 * default settings. It reports the episodes' outcomes, the failure reasons, the breaker's waits, and what the
 * server saw while the breaker was open: the requests that arrived then, and the most it held at once.
 *
 * <p>The server runs in this process on a Vert.x of its own; the agent's client is made on the runtime's Vert.x
 * through a {@link ChatClientPool} of the benchmark's, whose breaker state is read as each request arrives and
 * every 5 ms. Which fault a request gets depends only on its index and the seed. Not thread-safe; one run at a
 * time.
 */
public final class FaultBenchmark {
  /**
   * What to run.
   *
   * @param episodes episodes to play
   * @param concurrency episodes in flight
   * @param seed the run seed and the fault draw's seed
   * @param retryAfter the {@code Retry-After} value of the 429s, in seconds
   * @param agent changes to the agent's default configuration (none for the check as specified)
   * @param turnTimeoutMillis the runtime's turn timeout
   */
  public record Options(int episodes, int concurrency, long seed, String retryAfter,
      UnaryOperator<OpenAiAgentProvider.Builder> agent, long turnTimeoutMillis) {
    public Options {
      if (episodes < 1 || concurrency < 1) {
        throw new IllegalArgumentException("episodes and concurrency must be at least 1, were " + episodes + " and "
            + concurrency);
      }
    }

    /** The check as specified: 2,000 episodes at concurrency 256, default agent and runtime settings. */
    public static Options defaults() {
      return new Options(2_000, 256, 0, "1", b -> b, RolloutOptions.DEFAULT_TURN_TIMEOUT_MILLIS);
    }
  }

  /**
   * What a run measured.
   *
   * @param summary the rollout's summary (outcome counts, failures by kind)
   * @param failureReasons failed episodes by the tag their reason starts with (e.g. {@code openai/timeout})
   * @param injected requests by what the server did with them ({@code ok}, {@code tool-call}, {@code 500}, ...)
   * @param serverRequests chat requests the server received (retries included)
   * @param arrivedWhileOpen requests that arrived while the breaker was open or half-open (trials, and requests
   *     that had passed the breaker just before it opened)
   * @param maxInFlightWhileOpen the most requests the server held at once while the breaker was open or
   *     half-open (those sent before it opened and still pending, such as hangs, included)
   * @param maxInFlight the most requests the server held at once over the run
   * @param client the agent's client's statistics (retries, breaker waits)
   * @param seconds wall time
   */
  public record Result(RunSummary summary, Map<String, Long> failureReasons, Map<String, Long> injected,
      long serverRequests, long arrivedWhileOpen, int maxInFlightWhileOpen, int maxInFlight, ChatClientStats client,
      double seconds) {

    /** Completed and truncated episodes over all episodes. */
    public double notFailedShare() {
      return summary.episodes() == 0 ? 0 : (double) (summary.completed() + summary.truncated()) / summary.episodes();
    }

    /** A few lines for people. */
    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "episodes     %d: %d completed, %d truncated, %d failed -> %.1f%% not "
              + "failed (target at least 95%%)%n", summary.episodes(), summary.completed(), summary.truncated(),
          summary.failed(), 100 * notFailedShare()));
      sb.append("failures     ").append(failureReasons.isEmpty() ? "none" : failureReasons.toString())
          .append(System.lineSeparator());
      sb.append(String.format(Locale.ROOT, "server       %d requests %s; at most %d at once%n", serverRequests, injected,
          maxInFlight));
      sb.append(String.format(Locale.ROOT, "breaker      opened %d times; %d requests arrived at the server while it was "
          + "open or half-open (trials, and requests already past the breaker when it opened); the server held at most"
          + " %d at once then (requests sent before it opened, hangs included)%n", client.breakerOpenings(),
          arrivedWhileOpen, maxInFlightWhileOpen));
      sb.append(String.format(Locale.ROOT, "client       %d attempts, %d retries, %d waits for the open breaker (at "
              + "most %d waiting at once), %d requests failed %s%n", client.attempts(), client.retries(),
          client.breakerWaits(), client.maxBreakerWaiting(), client.failures(), client.failuresByKind()));
      sb.append(String.format(Locale.ROOT, "wall time    %.1f s", seconds));
      return sb.toString();
    }
  }

  private FaultBenchmark() {}

  /** What the server does with request {@code index}: a category from the mix, by a hash of index and seed. */
  static String category(long seed, int index) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + index);
    int percent = (int) Long.remainderUnsigned(h, 100);
    if (percent < 60) {
      return "ok";
    } else if (percent < 70) {
      return "500";
    } else if (percent < 80) {
      return "429";
    } else if (percent < 85) {
      return "malformed-json";
    } else if (percent < 90) {
      return "truncated-body";
    } else if (percent < 92) {
      return "hang";
    }
    return "tool-call";
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Runs the check. */
  public static Result run(Registry registry, Options options) throws InterruptedException {
    Map<String, LongAdder> injected = new ConcurrentHashMap<>();
    AtomicLong arrivedWhileOpen = new AtomicLong();
    AtomicInteger maxWhileOpen = new AtomicInteger();
    long start = System.nanoTime();
    try (MockOpenAiServer server = MockOpenAiServer.builder().recordRequests(false).start();
        EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      ChatClientPool pool = new ChatClientPool(runtime.vertx());
      OpenAiAgentProvider.Config config = options.agent().apply(OpenAiAgentProvider.Config.builder()
          .baseUrl(server.baseUrl()).model("mock").apiKeyEnv(null)).build();
      OpenAiAgent agent = new OpenAiAgent(pool.client(config.endpoint()), config);
      java.util.function.BooleanSupplier open = () -> {
        List<ChatClientStats> s = pool.stats();
        return !s.isEmpty() && !s.get(0).circuit().equals("closed");
      };
      server.setFaults(index -> {
        String c = category(options.seed(), index);
        injected.computeIfAbsent(c, k -> new LongAdder()).increment();
        if (open.getAsBoolean()) {
          arrivedWhileOpen.incrementAndGet();
          maxWhileOpen.accumulateAndGet(server.inFlight(), Math::max);
        }
        return switch (c) {
          case "500" -> MockFault.serverError();
          case "429" -> MockFault.rateLimited(options.retryAfter());
          case "malformed-json" -> MockFault.malformedJson();
          case "truncated-body" -> MockFault.truncatedBody();
          case "hang" -> MockFault.hang();
          default -> null;
        };
      });
      server.setResponder(request -> {
        int guess = 1 + (int) Long.remainderUnsigned(mix(request.index() + 17L * options.seed()), 8);
        if (category(options.seed(), request.index()).equals("tool-call")) {
          return MockReply.toolCalls(List.of(ToolCall.of("call_" + request.index(), "guess",
              "{\"n\": " + guess + "}")));
        }
        return MockReply.text("<answer>" + guess + "</answer>");
      });
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          if (open.getAsBoolean()) {
            maxWhileOpen.accumulateAndGet(server.inFlight(), Math::max);
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "fault-bench-sampler");
      sampler.setDaemon(true);
      sampler.start();
      Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
      try {
        BoundEnvironment env = Plugins.environment(registry, "guess-number", "{low: 1, high: 8, maxTurns: 4}")
            .withContext(runtime.pluginContext()).probe();
        RolloutOptions rollout = RolloutOptions.of(options.episodes(), options.concurrency(), options.seed())
            .withTimeouts(options.turnTimeoutMillis(), Math.max(600_000, options.turnTimeoutMillis() * 2));
        RunSummary summary = runtime.run(new Rollout("faults", env, "openai", agent, rollout), EpisodeSink.discard(),
            (Episode e) -> {
              if (e.status() == EpisodeStatus.FAILED) {
                reasons.computeIfAbsent(tag(e.failure()), k -> new LongAdder()).increment();
              }
            }).toCompletableFuture().get(2, TimeUnit.HOURS);
        ChatClientStats stats = pool.stats().get(0);
        return new Result(summary, sums(reasons), sums(injected), server.requestCount(), arrivedWhileOpen.get(),
            maxWhileOpen.get(), server.maxInFlight(), stats, (System.nanoTime() - start) / 1e9);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the faulty-server rollout did not finish: " + e, e);
      } finally {
        sampler.interrupt();
        agent.close();
        pool.close();
      }
    }
  }

  /**
   * What a failure reason is about: its {@code openai/<kind>} tag when the agent's backend wrote it
   * ({@code agent failed at turn 2: openai/timeout: ...}), else its text up to the first colon.
   */
  static String tag(String reason) {
    if (reason == null) {
      return "unknown";
    }
    int backend = reason.indexOf("openai/");
    String r = backend >= 0 ? reason.substring(backend) : reason;
    int colon = r.indexOf(':');
    return (colon < 0 ? r : r.substring(0, colon)).strip();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
