package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatUsage;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A rollout scored by two judges (an ensemble through aliases, from a shaping file) reports each judge's requests and
 * tokens in its summary, by the name of its endpoint in the run's llm: section, and the turns a judge failed to score.
 */
class JudgeUsageSummaryTest {
  @Test
  void theSummaryCountsEachNamedJudgesRequestsTokensAndFailures() throws Exception {
    Registry registry = Registry.load();
    AtomicInteger asked = new AtomicInteger();
    String verdict = "{\"criteria\": {\"task\": {\"score\": 7}, \"honesty\": {\"score\": 8}, \"clarity\": {\"score\": 9}}}";
    try (MockOpenAiServer good = MockOpenAiServer.builder().responder(r -> {
          asked.incrementAndGet();
          return MockReply.text(verdict);
        }).start();
        MockOpenAiServer bad = MockOpenAiServer.builder().responder(r -> MockReply.text("no json here")).start()) {
      Map<String, ChatEndpoint> llm = Map.of(
          "judge-a", ChatEndpoint.builder().baseUrl(good.baseUrl()).model("a").apiKeyEnv(null).cacheSize(0).build(),
          "judge-b", ChatEndpoint.builder().baseUrl(bad.baseUrl()).model("b").apiKeyEnv(null).cacheSize(0).build());
      try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, llm)) {
        PluginContext context = runtime.pluginContext();
        BoundEnvironment env = Plugins.environment(registry, "guess-number", null).withContext(context).probe();
        ShapingPipeline pipeline = ShapingFactory.build(registry, ShapingSpec.read("""
            shapers:
              - {name: judge, as: judge-a, config: {endpoint: judge-a}}
              - {name: judge, as: judge-b, config: {endpoint: judge-b, maxAttempts: 2}}
            combiner: {name: ensemble, config: {aggregate: mean, members: [judge-a, judge-b]}}
            """), env);
        try (Plugins.ConfiguredAgent agent = Plugins.agent(registry, "random", null, env)) {
          RunSummary summary = runtime.run(new Rollout("judged", env, "random", agent.agent(),
                  RolloutOptions.of(6, 6, 1), pipeline::scoreAsync),
              e -> CompletableFuture.completedFuture(null), EpisodeListener.none())
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          assertEquals(0, summary.failed(), summary.failures().toString());
          ChatUsage a = summary.llm().get("judge-a");
          ChatUsage b = summary.llm().get("judge-b");
          assertEquals(6, a.requests(), "one verdict per episode");
          assertEquals(asked.get(), a.attempts());
          assertTrue(a.promptTokens() > 0 && a.completionTokens() > 0, a.toString());
          assertEquals(12, b.requests(), "two malformed answers per episode");
          assertEquals(6L, summary.scoreFailures().get("judge-b/score"), summary.scoreFailures().toString());
          assertTrue(!summary.rewardComponents().containsKey("judge-b/score")
              || !Double.isNaN(summary.rewardComponents().get("judge-b/score")), "failures are not averaged in");
          JsonNode json = Json.JSON.readTree(Json.JSON.writeValueAsString(summary));
          assertEquals(6, json.path("llm").path("judge-a").path("requests").asInt(), json.toString());
        }
      }
    }
  }
}
