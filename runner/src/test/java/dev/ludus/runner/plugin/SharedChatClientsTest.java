package dev.ludus.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.OpenAiAgentProvider;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's "one chat client per endpoint": within a run, the {@code openai} agent, an LLM-driven simulated user
 * and an LLM judge that talk to the same endpoint share one client, so the server sees one connection pool and
 * one circuit breaker.
 */
class SharedChatClientsTest {
  private final Registry registry = Registry.load();
  private MockOpenAiServer server;

  @BeforeEach
  void start() {
    server = MockOpenAiServer.builder().latencyMillis(20).responder(MockResponder.constant(MockReply.text("no")))
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The agent's configuration; its endpoint is the one the run's llm: section declares as {@code shared}. */
  private OpenAiAgentProvider.Config agentConfig() {
    return OpenAiAgentProvider.Config.defaults().toBuilder().baseUrl(server.baseUrl()).model("mock-model")
        .apiKeyEnv(null).maxTokens(8).maxRetries(0).maxConcurrency(2).breakerMaxFailures(3)
        .breakerOpenMillis(60_000).breakerMaxWaitMillis(0).cacheSize(0).build();
  }

  @Test
  void theOpenAiAgentAnLlmUserAndAnLlmJudgeShareOneClientOnePoolAndOneBreaker() throws Exception {
    OpenAiAgentProvider.Config config = agentConfig();
    ChatEndpoint endpoint = config.endpoint();
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, Map.of("shared", endpoint))) {
      PluginContext context = runtime.pluginContext();
      assertSame(context.chatClient(endpoint), context.chatClient(endpoint), "one client per endpoint");
      // by name, a view that counts for the run's summary and sends through that one client (same pool and breaker,
      // which the rest of this test shows)
      assertSame(context.chatClient("shared"), context.chatClient("shared"));
      assertEquals(endpoint, context.chatClient("shared").endpoint());

      BoundEnvironment env = Plugins.environment(registry, "twenty-questions",
          "{maxTurns: 3, user: {name: test-llm-user, config: {client: shared}}}").withContext(context).probe();
      ShapingPipeline pipeline = ShapingFactory.build(registry,
          ShapingSpec.read("shapers: [{name: outcome}, {name: test-llm-judge, config: {client: shared}}]"), env);
      ConcurrentLinkedQueue<Episode> played = new ConcurrentLinkedQueue<>();
      try (Agent agent = ((OpenAiAgentProvider) registry.agents().get("openai")).create(config, env, context)) {
        runtime.run(new Rollout("shared", env, "openai", agent, RolloutOptions.of(8, 8, 1), pipeline::scoreAsync),
            e -> {
              played.add(e);
              return CompletableFuture.completedFuture(null);
            }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertEquals(8, played.size());
        for (Episode e : played) {
          assertTrue(e.failure() == null, "episode failed: " + e.failure());
          assertEquals("no", e.turns().get(0).observation().get(0).content(), "the user's reply came from the endpoint");
          assertEquals(1.0, e.ledger().stream().filter(l -> l.source().equals("test-llm-judge"))
              .mapToDouble(LedgerEntry::raw).sum(), "the judge's verdict came from the endpoint");
        }
        int agentTurns = played.stream().mapToInt(e -> e.turns().size()).sum();
        int userReplies = played.stream().mapToInt(e -> e.turns().size() - (e.turns().get(e.turns().size() - 1)
            .terminated() ? 1 : 0)).sum();
        assertTrue(server.requestCount() >= agentTurns + 8, "agent, user and judge all asked the one endpoint: "
            + server.requestCount() + " requests for " + agentTurns + " turns, " + userReplies + " replies, 8 verdicts");
        assertTrue(server.maxInFlight() <= 2 && server.maxOpenConnections() <= 2, "one concurrency cap and one "
            + "connection pool of 2 for all three: " + server.maxInFlight() + " in flight, "
            + server.maxOpenConnections() + " connections");

        // one breaker: three failures through the agent open it for the user and the judge too
        server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
        int before = server.requestCount();
        for (int i = 0; i < 3; i++) {
          AgentResponse r = agent.act(new AgentRequest("e" + i, Task.generated("t", i), i, 0,
              List.of(Message.user("is it an animal?")), List.of())).toCompletableFuture().get(10, TimeUnit.SECONDS);
          assertTrue(r instanceof AgentResponse.Failure f && f.reason().startsWith("openai/http-status"), r.toString());
        }
        try (UserSimulator user = context.simulator(PluginRef.of("test-llm-user", Map.of("client", "shared")))) {
          String said = user.respond(Message.assistant("is it red?")).toCompletableFuture().get(10, TimeUnit.SECONDS)
              .reply().content();
          assertEquals("[CIRCUIT_OPEN]", said, "the user fails fast on the breaker the agent opened");
        }
        Episode one = played.peek();
        double verdict = pipeline.scoreAsync(List.of(one.withLedger(List.of()))).toCompletableFuture()
            .get(10, TimeUnit.SECONDS).get(0).ledger().stream().filter(l -> l.source().equals("test-llm-judge"))
            .mapToDouble(LedgerEntry::raw).sum();
        assertEquals(0.0, verdict, "the judge fails fast on the same breaker");
        assertEquals(before + 3, server.requestCount(), "only the agent's three requests reached the server");
      }
    }
  }
}
