package dev.ludus.runner.bench;

import dev.ludus.agents.openai.ChatClientPool;
import dev.ludus.agents.openai.ChatClientStats;
import dev.ludus.agents.openai.OpenAiAgent;
import dev.ludus.agents.openai.OpenAiAgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The faulty-server check of issue 16: {@code guess-number} episodes played by the {@code openai} agent against the
 * mock OpenAI server misbehaving on a fixed share of its requests (by default 60% answered, 10% 500, 10% 429 with
 * {@code Retry-After}, 5% malformed JSON, 5% truncated bodies, 2% hangs, 8% tool-call replies), with the agent's
 * default settings. It reports the episodes' outcomes, the failure reasons, the breaker's waits, and what the
 * server saw while the breaker was open: the requests that arrived then, and the most it held at once.
 *
 * <p>The server (the mock's fault mix, {@code agents}' test fixtures) runs in a process of its own
 * ({@link MockServerProcess}) and logs when each request arrived and was answered; the agent's client is made on the
 * runtime's Vert.x through a {@link ChatClientPool} of the benchmark's, whose breaker state is read every
 * millisecond. After the run the two are lined up by wall clock. Which fault a request gets depends only on its index
 * and the seed. Not thread-safe; one run at a time.
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

  /** Runs the check. */
  public static Result run(Registry registry, Options options) throws InterruptedException {
    long start = System.nanoTime();
    List<long[]> open = new ArrayList<>();
    MockServerProcess.Stats stats;
    RunSummary summary;
    ChatClientStats clientStats;
    Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    try (MockServerProcess server = MockServerProcess.start(0,
            List.of("--fault-mix", Long.toString(options.seed()), options.retryAfter()));
        EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      ChatClientPool pool = new ChatClientPool(runtime.vertx());
      OpenAiAgentProvider.Config config = options.agent().apply(OpenAiAgentProvider.Config.builder()
          .baseUrl(server.baseUrl()).model("mock").apiKeyEnv(null)).build();
      OpenAiAgent agent = new OpenAiAgent(pool.client(config.endpoint()), config);
      Thread sampler = new Thread(() -> sampleBreaker(pool, open), "fault-bench-sampler");
      sampler.setDaemon(true);
      sampler.start();
      try {
        BoundEnvironment env = Plugins.environment(registry, "guess-number", "{low: 1, high: 8, maxTurns: 4}")
            .withContext(runtime.pluginContext()).probe();
        RolloutOptions rollout = RolloutOptions.of(options.episodes(), options.concurrency(), options.seed())
            .withTimeouts(options.turnTimeoutMillis(), Math.max(600_000, options.turnTimeoutMillis() * 2));
        summary = runtime.run(new Rollout("faults", env, "openai", agent, rollout), EpisodeSink.discard(),
            (Episode e) -> {
              if (e.status() == EpisodeStatus.FAILED) {
                reasons.computeIfAbsent(tag(e.failure()), k -> new LongAdder()).increment();
              }
            }).toCompletableFuture().get(2, TimeUnit.HOURS);
        clientStats = pool.stats().get(0);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the faulty-server rollout did not finish: " + e, e);
      } finally {
        sampler.interrupt();
        sampler.join();
        agent.close();
        pool.close();
      }
      stats = server.stop();
    } catch (IOException e) {
      throw new IllegalStateException("the mock server failed: " + e, e);
    }
    long[] whileOpen = whileOpen(stats.traffic(), open);
    Map<String, Long> failures = new TreeMap<>();
    reasons.forEach((k, v) -> failures.put(k, v.sum()));
    return new Result(summary, failures, stats.served(), stats.requests(), whileOpen[0], (int) whileOpen[1],
        stats.maxInFlight(), clientStats, (System.nanoTime() - start) / 1e9);
  }

  /** Records the breaker's open (or half-open) spans as {@code [fromMicros, toMicros]} until interrupted. */
  private static void sampleBreaker(ChatClientPool pool, List<long[]> spans) {
    long[] current = null;
    while (true) {
      List<ChatClientStats> s = pool.stats();
      boolean isOpen = !s.isEmpty() && !s.get(0).circuit().equals("closed");
      long now = epochMicros();
      synchronized (spans) {
        if (isOpen && current == null) {
          current = new long[] {now, Long.MAX_VALUE};
          spans.add(current);
        } else if (!isOpen && current != null) {
          current[1] = now;
          current = null;
        }
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        synchronized (spans) {
          if (current != null) {
            current[1] = epochMicros();
          }
        }
        return;
      }
    }
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /**
   * Lines the server's traffic up with the breaker's open spans: the requests that arrived in a span, and the most
   * the server held at once in one (those it already held when the span began included).
   *
   * @param traffic {@code [epochMicros, +1 | -1]} events
   * @param spans {@code [fromMicros, toMicros]}, in order and disjoint
   * @return {@code {arrivedWhileOpen, maxInFlightWhileOpen}}
   */
  static long[] whileOpen(List<long[]> traffic, List<long[]> spans) {
    List<long[]> events = new ArrayList<>(traffic);
    events.sort(java.util.Comparator.comparingLong(e -> e[0]));
    long arrived = 0;
    long max = 0;
    long inFlight = 0;
    int next = 0;
    for (long[] span : spans) {
      for (; next < events.size() && events.get(next)[0] < span[0]; next++) {
        inFlight += events.get(next)[1];
      }
      max = Math.max(max, inFlight);
      for (; next < events.size() && events.get(next)[0] < span[1]; next++) {
        long[] e = events.get(next);
        inFlight += e[1];
        arrived += e[1] > 0 ? 1 : 0;
        max = Math.max(max, inFlight);
      }
    }
    return new long[] {arrived, max};
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

}
