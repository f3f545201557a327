package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.KEY;
import static dev.ludus.agents.openai.OpenAiFixtures.act;
import static dev.ludus.agents.openai.OpenAiFixtures.config;
import static dev.ludus.agents.openai.OpenAiFixtures.reason;
import static dev.ludus.agents.openai.OpenAiFixtures.reply;
import static dev.ludus.agents.openai.OpenAiFixtures.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.OpenAiFixtures.CapturingLogger;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key comes from the named environment variable, goes out as a Bearer token, and nowhere else. */
class OpenAiAgentApiKeyTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiAgent agent;

  @Test
  void keyFromTheNamedVariableIsSentAsBearer() {
    server.setRequiredApiKey(KEY);
    agent = mock.agent(config(server).apiKeyEnv("LUDUS_TEST_KEY").build(), Map.of("LUDUS_TEST_KEY", KEY),
        new CapturingLogger());
    reply(act(agent, turn("hi")));
    assertEquals("Bearer " + KEY, server.requests().get(0).header("Authorization"));
  }

  @Test
  void providerReadsTheVariableThroughItsEnvironmentSeam() {
    OpenAiAgentProvider provider = new OpenAiAgentProvider(Map.of("LUDUS_TEST_KEY", KEY)::get);
    try (Agent a = provider.create(config(server).apiKeyEnv("LUDUS_TEST_KEY").build(), null)) {
      AgentResponse r = a.act(turn("hi")).toCompletableFuture().join();
      reply(r);
    }
    assertEquals("Bearer " + KEY, server.requests().get(0).header("authorization"));
  }

  @Test
  void unsetVariableMeansNoAuthorizationHeader() {
    agent = mock.agent(config(server).apiKeyEnv("LUDUS_TEST_KEY").build(), Map.of(), new CapturingLogger());
    reply(act(agent, turn("hi")));
    assertNull(server.requests().get(0).header("Authorization"));
  }

  @Test
  void requiredKeyThatIsUnsetIsAConfigErrorNamingTheVariable() {
    OpenAiAgentProvider provider = new OpenAiAgentProvider(Map.<String, String>of()::get);
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider.create(config(server).apiKeyEnv("LUDUS_TEST_KEY").apiKeyRequired(true).build(), null));
    assertTrue(e.getMessage().contains("LUDUS_TEST_KEY"), e.getMessage());
  }

  @Test
  void keyNeverAppearsInFailureReasonsOrLogs() {
    // the server echoes the key it was given in a 401 (as real servers do, in part), then fails in every
    // other way that produces reasons and log lines
    server.setRequiredApiKey("the-right-key");
    CapturingLogger log = new CapturingLogger();
    List<String> julLines = Collections.synchronizedList(new ArrayList<>());
    Handler jul = new Handler() {
      @Override
      public void publish(LogRecord record) {
        julLines.add(record.getMessage() + " " + record.getThrown());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(jul);
    List<String> reasons = new ArrayList<>();
    try {
      agent = mock.agent(config(server).apiKeyEnv("LUDUS_TEST_KEY").maxRetries(1).breakerMaxFailures(2)
          .breakerMaxWaitMillis(0).requestTimeoutMillis(200).build(), Map.of("LUDUS_TEST_KEY", KEY), log);
      String unauthorized = reason(act(agent, turn("hi")));
      assertTrue(unauthorized.contains("HTTP 401") && unauthorized.contains("Incorrect API key provided"),
          unauthorized);
      assertTrue(unauthorized.contains(Redactor.MASK), unauthorized);
      reasons.add(unauthorized);
      server.setRequiredApiKey(null);
      server.setFaults(MockFaultSchedule.always(MockFault.status(500, "upstream said: Authorization: Bearer " + KEY)));
      reasons.add(reason(act(agent, turn("hi"))));
      reasons.add(reason(act(agent, turn("hi"))));
    } finally {
      root.removeHandler(jul);
    }
    assertEquals(OpenAiFailureKind.CIRCUIT_OPEN, OpenAiFailureKind.of(reasons.get(2)).orElseThrow());
    assertFalse(log.lines().isEmpty(), "debug and warn lines were written");
    assertTrue(log.lines().stream().anyMatch(l -> l.contains("HTTP 500")), log.lines().toString());
    String secretPart = KEY.substring(8);
    for (String text : concat(reasons, log.lines(), julLines)) {
      assertFalse(text.contains(secretPart), "the key leaked into: " + text);
    }
    assertFalse(agent.toString().contains(secretPart));
    assertFalse(agent.config().toString().contains(secretPart));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      synchronized (l) {
        all.addAll(l);
      }
    }
    return all;
  }
}
