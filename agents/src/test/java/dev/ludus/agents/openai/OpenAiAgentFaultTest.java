package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.act;
import static dev.ludus.agents.openai.OpenAiFixtures.config;
import static dev.ludus.agents.openai.OpenAiFixtures.reason;
import static dev.ludus.agents.openai.OpenAiFixtures.reply;
import static dev.ludus.agents.openai.OpenAiFixtures.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ToolCall;
import dev.ludus.api.chat.ChatFailureKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's failures: the chat client's failures reach it as {@code openai/<kind>: <detail>} (the transport's
 * faults themselves are tested on the client, {@link ChatClientFaultTest}), and the agent's own checks of tool
 * calls fail with their own kind.
 */
class OpenAiAgentFaultTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiAgent agent;

  private static void assertKind(OpenAiFailureKind kind, String reason) {
    assertEquals(kind, OpenAiFailureKind.of(reason).orElse(null), reason);
  }

  @Test
  void clientErrorIsFinalAtOnceWithStatusAndBodyExcerpt() {
    server.setFaults(MockFaultSchedule.always(MockFault.status(400, "max_tokens is too large for this model")));
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.HTTP_STATUS, reason);
    assertTrue(reason.contains("HTTP 400"), reason);
    assertTrue(reason.contains("max_tokens is too large"), reason);
    assertEquals(1, server.requestCount(), "4xx is not retried");
  }

  @Test
  void serverErrorsAreRetriedUntilTheServerAnswers() {
    server.setFaults(MockFaultSchedule.firstK(2, MockFault.serverError()));
    agent = mock.agent(config(server).maxRetries(3).build());
    assertEquals("echo: hi", reply(act(agent, turn("hi"))).message().content());
    assertEquals(3, server.requestCount());
    assertEquals(2, agent.stats().retries());
  }

  @Test
  void everyKindOfTheClientHasAnAgentKindOfTheSameTag() {
    for (ChatFailureKind k : ChatFailureKind.values()) {
      OpenAiFailureKind mine = OpenAiFailureKind.of(k);
      assertEquals(k.tag(), mine.tag(), k.toString());
      assertEquals(mine, OpenAiFailureKind.of(mine.reason("x")).orElseThrow());
    }
  }

  @Test
  void serverErrorsGiveUpAfterMaxRetriesWithTheLastStatus() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    agent = mock.agent(config(server).maxRetries(2).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.HTTP_STATUS, reason);
    assertTrue(reason.contains("HTTP 500") && reason.contains("gave up after 3 attempts"), reason);
    assertEquals(3, server.requestCount());
    assertEquals(3, agent.stats().attempts());
    assertEquals(2, agent.stats().retries());
  }

  @Test
  void malformedJsonIsRetriedThenFailsWithItsOwnReason() {
    server.setFaults(MockFaultSchedule.always(MockFault.malformedJson()));
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.MALFORMED_JSON, reason);
    assertTrue(reason.contains("body starts: {\"id\""), reason);
    assertEquals(3, server.requestCount(), "the first attempt and maxRetries (2) more");
  }

  @Test
  void toolCallWithMalformedArgumentsHasItsOwnReason() {
    server.setResponder(MockResponder.constant(
        MockReply.toolCalls(List.of(ToolCall.of("call_1", "get_weather", "{\"city\": \"Par")))));
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, turn("weather?")));
    assertKind(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS, reason);
    assertTrue(reason.contains("'get_weather'") && reason.contains("call_1") && reason.contains("{\"city\": \"Par"),
        reason);
    assertEquals(1, server.requestCount(), "a model's malformed call is not retried");
  }

  @Test
  void toolCallArgumentsThatAreNotAnObjectAreInvalidToo() {
    server.setResponder(MockResponder.constant(
        MockReply.toolCalls(List.of(ToolCall.of("call_1", "get_weather", "[\"Paris\"]")))));
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, turn("weather?")));
    assertKind(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS, reason);
    assertTrue(reason.contains("a JSON array"), reason);
  }

  @Test
  void malformedArgumentsPassVerbatimWhenConfigured() {
    ToolCall bad = ToolCall.of("call_1", "get_weather", "{\"city\": \"Par");
    server.setResponder(MockResponder.constant(MockReply.toolCalls(List.of(bad))));
    agent = mock.agent(config(server).invalidToolArguments("pass").build());
    assertEquals(List.of(bad), reply(act(agent, turn("weather?"))).message().toolCalls());
  }

  @Test
  void toolWithUnreadableParametersIsABadRequestAndNothingIsSent() {
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, turn("hi", List.of(new dev.ludus.api.ToolSpec("t", "d", "{not json")))));
    assertKind(OpenAiFailureKind.BAD_REQUEST, reason);
    assertTrue(reason.contains("tool 't'"), reason);
    assertEquals(0, server.requestCount());
  }

  @Test
  void anEmptyConversationIsABadRequestAndNothingIsSent() {
    agent = mock.agent(config(server).build());
    String reason = reason(act(agent, new dev.ludus.api.AgentRequest("ep", dev.ludus.api.Task.generated("t", 1), 1, 0,
        List.of(), List.of())));
    assertKind(OpenAiFailureKind.BAD_REQUEST, reason);
    assertTrue(reason.contains("messages cannot be empty"), reason);
    assertEquals(0, server.requestCount());
  }

  @Test
  void closingAnswersPendingTurnsWithClosed() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    agent = mock.agent(config(server).requestTimeoutMillis(10_000).build());
    CompletableFuture<AgentResponse> pending = agent.act(turn("hi")).toCompletableFuture();
    while (server.requestCount() == 0) {
      Thread.sleep(5);
    }
    agent.close();
    AgentResponse r = pending.get(5, TimeUnit.SECONDS);
    assertKind(OpenAiFailureKind.CLOSED, reason(r));
    assertKind(OpenAiFailureKind.CLOSED, reason(agent.act(turn("again")).toCompletableFuture().get(1, TimeUnit.SECONDS)));
  }

  @Test
  void failuresAreCountedByKind() {
    server.setFaults(index -> index == 0 ? MockFault.status(400, "no") : MockFault.malformedJson());
    agent = mock.agent(config(server).maxRetries(0).build());
    act(agent, turn("a"));
    act(agent, turn("b"));
    OpenAiAgent.Stats s = agent.stats();
    assertEquals(2, s.failures());
    assertEquals(1L, s.failuresByKind().get(OpenAiFailureKind.HTTP_STATUS));
    assertEquals(1L, s.failuresByKind().get(OpenAiFailureKind.MALFORMED_JSON));
    assertEquals(0, s.replies());
  }
}
