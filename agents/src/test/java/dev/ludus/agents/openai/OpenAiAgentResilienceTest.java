package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.act;
import static dev.ludus.agents.openai.OpenAiFixtures.config;
import static dev.ludus.agents.openai.OpenAiFixtures.reason;
import static dev.ludus.agents.openai.OpenAiFixtures.reply;
import static dev.ludus.agents.openai.OpenAiFixtures.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.AgentResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The circuit breaker, the concurrency cap and the cache as the agent sees them: its reasons and its counters.
 * The client's own behaviour is tested in {@link ChatClientResilienceTest}.
 */
class OpenAiAgentResilienceTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiAgent agent;

  @Test
  void retriesStopAtAnOpenCircuit() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    agent = mock.agent(config(server).maxRetries(10).breakerMaxFailures(3).breakerOpenMillis(60_000)
        .breakerMaxWaitMillis(0).build());
    String reason = reason(act(agent, turn("hi")));
    assertEquals(OpenAiFailureKind.CIRCUIT_OPEN, OpenAiFailureKind.of(reason).orElseThrow(), reason);
    assertTrue(reason.contains("3 earlier attempts failed"), reason);
    assertEquals(3, server.requestCount());
  }

  @Test
  void concurrencyCapHoldsAndTheRestQueue() {
    server.setLatencyMillis(60);
    agent = mock.agent(config(server).maxConcurrency(4).build());
    List<CompletableFuture<AgentResponse>> turns = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 24; i++) {
      turns.add(agent.act(turn("n" + i)).toCompletableFuture());
    }
    long submitMillis = (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < turns.size(); i++) {
      assertEquals("echo: n" + i, reply(turns.get(i).join()).message().content());
    }
    assertEquals(4, server.maxInFlight(), "the server saw at most (and, queued, exactly) 4 at once");
    assertEquals(4, agent.stats().maxInFlight());
    assertTrue(submitMillis < 1_000, "act does not wait for a permit: " + submitMillis + " ms for 24 calls");
  }

  @Test
  void identicalDeterministicRequestsHitTheServerOnce() {
    agent = mock.agent(config(server).temperature(0).seed(1234L).build());
    for (int i = 0; i < 3; i++) {
      assertEquals("echo: same", reply(act(agent, turn("same"))).message().content());
    }
    assertEquals(1, server.requestCount());
    OpenAiAgent.CacheStats stats = agent.cacheStats();
    assertTrue(stats.enabled());
    assertEquals(2, stats.hits());
    assertEquals(1, stats.misses());
    assertEquals(1, stats.size());
    reply(act(agent, turn("different")));
    assertEquals(2, server.requestCount(), "a different request is not a hit");
  }

  @Test
  void samplingRequestsAreNeverCached() {
    agent = mock.agent(config(server).temperature(0.8).seed(1234L).build());
    for (int i = 0; i < 3; i++) {
      reply(act(agent, turn("same")));
    }
    assertEquals(3, server.requestCount());
    assertFalse(agent.cacheStats().enabled());
  }

  @Test
  void failuresAreNotCached() {
    server.setFaults(MockFaultSchedule.firstK(1, MockFault.status(400, "once")));
    agent = mock.agent(config(server).temperature(0).seed(9L).build());
    reason(act(agent, turn("same")));
    reply(act(agent, turn("same")));
    reply(act(agent, turn("same")));
    assertEquals(2, server.requestCount());
    assertEquals(1, agent.cacheStats().hits());
  }
}
