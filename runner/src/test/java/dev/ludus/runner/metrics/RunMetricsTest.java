package dev.ludus.runner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.runtime.Scorer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A rollout's metrics, taken through the runtime's listener hook and scraped over real HTTP in Prometheus' format,
 * agree with the run's own summary.
 */
class RunMetricsTest {
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertTrue(m.find(), "no series " + series + " in:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aRolloutsMetricsAreScrapedOverHttpAndAgreeWithItsSummary() throws Exception {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    RunMetrics metrics = new RunMetrics(registry, "guess-number");
    AtomicLong maxInFlight = new AtomicLong();
    RunSummary summary;
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(5_000))) {
      BoundEnvironment env = Plugins.environment(Registry.load(), "guess-number", null)
          .withContext(runtime.pluginContext());
      Rollout rollout = new Rollout("metrics", env, "random", env.randomAgent(), RolloutOptions.of(40, 8, 1),
          metrics.timed(Scorer.none()), null);
      summary = runtime.run(rollout, EpisodeSink.discard(),
          metrics.alongside(e -> maxInFlight.accumulateAndGet(metrics.inFlight(), Math::max)))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    metrics.onLearnerStep(2.0, 1_000);
    String scrape;
    try (MetricsServer server = MetricsServer.start(registry, "127.0.0.1", 0)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      scrape = r.body();
    }
    assertEquals(summary.completed(), value(scrape, "ludus_episodes_total{env=\"guess-number\",status=\"completed\"}"));
    assertEquals(summary.truncated(), value(scrape, "ludus_episodes_total{env=\"guess-number\",status=\"truncated\"}"));
    assertEquals(summary.turns(), value(scrape, "ludus_agent_latency_seconds_count{env=\"guess-number\"}"));
    assertEquals(summary.turns(), value(scrape, "ludus_episode_turns_sum{env=\"guess-number\"}"));
    assertEquals(40, value(scrape, "ludus_scorer_latency_seconds_count{env=\"guess-number\"}"));
    assertEquals(0, value(scrape, "ludus_episodes_in_flight{env=\"guess-number\"}"));
    assertTrue(maxInFlight.get() >= 1, "episodes were seen in flight during the run");
    assertEquals(500, value(scrape, "ludus_learner_tokens_per_second{env=\"guess-number\"}"));
    assertEquals(1_000, value(scrape, "ludus_learner_tokens_total{env=\"guess-number\"}"));
    assertTrue(scrape.contains("ludus_env_latency_seconds_bucket{"), "a latency histogram");
  }

  @Test
  void aFailureReasonIsTaggedByItsKind() {
    assertEquals("agent failed at turn #", RunMetrics.kind("agent failed at turn 3: HTTP 500 from the model"));
    assertEquals("episode exceeded its time limit of # ms at turn #",
        RunMetrics.kind("episode exceeded its time limit of 600000 ms at turn 7"));
    assertEquals("unknown", RunMetrics.kind(null));
  }
}
