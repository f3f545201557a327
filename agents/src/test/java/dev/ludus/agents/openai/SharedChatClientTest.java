package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.ask;
import static dev.ludus.agents.openai.OpenAiFixtures.complete;
import static dev.ludus.agents.openai.OpenAiFixtures.completion;
import static dev.ludus.agents.openai.OpenAiFixtures.config;
import static dev.ludus.agents.openai.OpenAiFixtures.endpoint;
import static dev.ludus.agents.openai.OpenAiFixtures.failure;
import static dev.ludus.agents.openai.OpenAiFixtures.reason;
import static dev.ludus.agents.openai.OpenAiFixtures.reply;
import static dev.ludus.agents.openai.OpenAiFixtures.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.OpenAiFixtures.CapturingLogger;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code openai} agent and two plain chat-client users (standing for an LLM-driven simulated user and an LLM
 * judge) on one endpoint share one client: one connection pool, one concurrency cap, one breaker, one cache.
 */
class SharedChatClientTest {
  private final MockOpenAiServer server = MockOpenAiServer.start();
  private final Vertx vertx = Vertx.vertx();
  private final ChatClientPool pool = new ChatClientPool(vertx, Map.<String, String>of()::get, new CapturingLogger());
  private final List<OpenAiAgent> agents = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    agents.forEach(OpenAiAgent::close);
    pool.close();
    server.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private OpenAiAgent agent(OpenAiAgentProvider.Config config) {
    OpenAiAgent a = new OpenAiAgent(pool.client(config.endpoint()), config);
    agents.add(a);
    return a;
  }

  @Test
  void equalEndpointsGetOneClientAndOtherEndpointsTheirOwn() {
    ChatEndpoint e = config(server).build().endpoint();
    ChatClient c = pool.client(e);
    assertSame(c, pool.client(e.toBuilder().build()), "an equal description is the same endpoint");
    assertNotSame(c, pool.client(e.toBuilder().model("other").build()));
    assertEquals(2, pool.stats().size());
  }

  @Test
  void anAgentAUserAndAJudgeOnOneEndpointUseOneConnectionPoolAndOneConcurrencyCap() {
    server.setLatencyMillis(40);
    // a generous attempt deadline: under load a timed-out attempt is retried (a 19th request, a third connection)
    ChatEndpoint endpoint = endpoint(server).requestTimeoutMillis(30_000).build();
    OpenAiAgentProvider.Config config = OpenAiAgentProvider.Config.builder().endpoint(endpoint).maxConcurrency(2).build();
    OpenAiAgent agent = agent(config);
    ChatClient user = pool.client(config.endpoint());
    ChatClient judge = pool.client(OpenAiAgentProvider.Config.builder().endpoint(endpoint).maxConcurrency(2).build()
        .endpoint());
    assertSame(user, judge);
    assertSame(user, agent.client());

    List<CompletableFuture<AgentResponse>> turns = new ArrayList<>();
    List<CompletableFuture<ChatResult>> others = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      turns.add(agent.act(turn("agent " + i)).toCompletableFuture());
      others.add(user.complete(ask("user " + i)).toCompletableFuture());
      others.add(judge.complete(ask("judge " + i)).toCompletableFuture());
    }
    for (int i = 0; i < 6; i++) {
      assertEquals("echo: agent " + i, reply(turns.get(i).join()).message().content());
    }
    others.forEach(f -> completion(f.join()));
    assertEquals(18, server.requestCount());
    assertEquals(2, server.maxInFlight(), "one cap of 2 for all three users, not 2 each");
    assertTrue(server.connectionCount() <= 2,
        "one connection pool of at most 2 connections, kept alive: " + server.connectionCount());
    ChatClientStats stats = pool.stats().get(0);
    assertEquals(18, stats.requests());
    assertEquals(2, stats.maxInFlight());
  }

  @Test
  void onceTheBreakerOpensThroughTheAgentTheUserAndTheJudgeFailFast() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    OpenAiAgentProvider.Config config = config(server).maxRetries(0).breakerMaxFailures(2)
        .breakerOpenMillis(60_000).breakerMaxWaitMillis(0).build();
    OpenAiAgent agent = agent(config);
    ChatClient user = pool.client(config.endpoint());
    for (int i = 0; i < 2; i++) {
      String r = reason(OpenAiFixtures.act(agent, turn("hi")));
      assertTrue(r.startsWith("openai/http-status: HTTP 500"), r);
    }
    ChatResult.Failure f = failure(ChatFailureKind.CIRCUIT_OPEN, complete(user, ask("user")));
    assertEquals(0, f.attempts());
    failure(ChatFailureKind.CIRCUIT_OPEN, complete(pool.client(config.endpoint()), ask("judge")));
    assertEquals(2, server.requestCount(), "the open circuit kept the user and the judge off the server");
    assertTrue(reason(OpenAiFixtures.act(agent, turn("again"))).startsWith("openai/circuit-open: "));
    assertEquals("open", pool.stats().get(0).circuit());
  }

  @Test
  void aDeterministicCompletionCachedForOneUserServesTheOther() {
    ChatEndpoint e = config(server).build().endpoint();
    ChatClient user = pool.client(e);
    ChatClient judge = pool.client(e);
    assertEquals("echo: same", completion(complete(user, ask("same").withSampling(Sampling.greedy(5)))).message()
        .content());
    assertTrue(completion(complete(judge, ask("same").withSampling(Sampling.greedy(5)))).cached());
    assertEquals(1, server.requestCount());
  }

  @Test
  void closingAnAgentLeavesTheSharedClientOpenForItsOtherUsers() {
    OpenAiAgentProvider.Config config = config(server).build();
    OpenAiAgent agent = agent(config);
    agent.close();
    assertTrue(reason(OpenAiFixtures.act(agent, turn("hi"))).startsWith("openai/closed: "));
    completion(complete(pool.client(config.endpoint()), ask("still open")));
  }

  @Test
  void closingThePoolAnswersPendingRequestsWithClosedAndLeavesTheVertxInstanceRunning() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    ChatEndpoint e = config(server).requestTimeoutMillis(10_000).build().endpoint();
    CompletableFuture<ChatResult> pending = pool.client(e).complete(ask("hi")).toCompletableFuture();
    while (server.requestCount() == 0) {
      Thread.sleep(5);
    }
    pool.close();
    failure(ChatFailureKind.CLOSED, pending.get(5, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, () -> pool.client(e));
    server.setFaults(MockFaultSchedule.none());
    try (ChatClientPool another = new ChatClientPool(vertx)) {
      completion(complete(another.client(e), ask("the Vert.x instance still runs")));
    }
  }
}
