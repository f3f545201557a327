package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.act;
import static dev.ludus.agents.openai.OpenAiFixtures.agent;
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
import java.net.ServerSocket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every fault ends as a failure value with its own reason; retried faults are retried, others are not. */
class OpenAiAgentFaultTest {
  private final MockOpenAiServer server = MockOpenAiServer.start();
  private OpenAiAgent agent;

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
    server.close();
  }

  private static void assertKind(OpenAiFailureKind kind, String reason) {
    assertEquals(kind, OpenAiFailureKind.of(reason).orElse(null), reason);
  }

  @Test
  void clientErrorIsFinalAtOnceWithStatusAndBodyExcerpt() {
    server.setFaults(MockFaultSchedule.always(MockFault.status(400, "max_tokens is too large for this model")));
    agent = agent(config(server).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.HTTP_STATUS, reason);
    assertTrue(reason.contains("HTTP 400"), reason);
    assertTrue(reason.contains("max_tokens is too large"), reason);
    assertEquals(1, server.requestCount(), "4xx is not retried");
  }

  @Test
  void longErrorBodiesAreTruncatedInTheReason() {
    server.setFaults(MockFaultSchedule.always(MockFault.status(422, "x".repeat(20_000))));
    agent = agent(config(server).build());
    String reason = reason(act(agent, turn("hi")));
    assertTrue(reason.length() < 600, "reason length " + reason.length());
    assertTrue(reason.contains("chars)"), reason);
  }

  @Test
  void serverErrorsAreRetriedUntilTheServerAnswers() {
    server.setFaults(MockFaultSchedule.firstK(2, MockFault.serverError()));
    agent = agent(config(server).maxRetries(3).build());
    assertEquals("echo: hi", reply(act(agent, turn("hi"))).message().content());
    assertEquals(3, server.requestCount());
    assertEquals(2, agent.stats().retries());
  }

  @Test
  void serverErrorsGiveUpAfterMaxRetriesWithTheLastStatus() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    agent = agent(config(server).maxRetries(2).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.HTTP_STATUS, reason);
    assertTrue(reason.contains("HTTP 500") && reason.contains("gave up after 3 attempts"), reason);
    assertEquals(3, server.requestCount());
  }

  @Test
  void rateLimitWaitsAtLeastRetryAfterSeconds() {
    server.setFaults(MockFaultSchedule.firstK(1, MockFault.rateLimited("1")));
    agent = agent(config(server).maxRetries(1).build());
    reply(act(agent, turn("hi")));
    assertEquals(2, server.requestCount());
    long gapMillis = gapMillis(0, 1);
    assertTrue(gapMillis >= 1_000, "retried after " + gapMillis + " ms, Retry-After was 1 s");
  }

  @Test
  void unavailableWaitsUntilTheRetryAfterHttpDate() {
    server.setFaults(index -> index == 0
        ? MockFault.unavailable(DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3)))
        : null);
    agent = agent(config(server).maxRetries(1).build());
    reply(act(agent, turn("hi")));
    long gapMillis = gapMillis(0, 1);
    // the date has whole seconds, so it lies 2..3 s after the response
    assertTrue(gapMillis >= 1_950, "retried after " + gapMillis + " ms, Retry-After was a date >= 2 s ahead");
  }

  @Test
  void retryAfterBeyondTheLimitFailsAtOnce() {
    server.setFaults(MockFaultSchedule.always(MockFault.rateLimited("3600")));
    agent = agent(config(server).maxRetryAfterMillis(5_000).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.RETRY_AFTER_TOO_LONG, reason);
    assertTrue(reason.contains("HTTP 429") && reason.contains("3600000 ms"), reason);
    assertEquals(1, server.requestCount());
  }

  @Test
  void aHangingServerTimesOutOnEveryAttempt() {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    agent = agent(config(server).requestTimeoutMillis(250).maxRetries(1).build());
    long start = System.nanoTime();
    String reason = reason(act(agent, turn("hi")));
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    assertKind(OpenAiFailureKind.TIMEOUT, reason);
    assertTrue(reason.contains("within 250 ms") && reason.contains("gave up after 2 attempts"), reason);
    assertEquals(2, server.requestCount());
    assertTrue(elapsed >= 500, "two attempts of 250 ms took " + elapsed + " ms");
  }

  @Test
  void refusedConnectionIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    agent = agent(config(server).baseUrl("http://127.0.0.1:" + port + "/v1").maxRetries(1).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.CONNECTION, reason);
    assertTrue(reason.contains("gave up after 2 attempts"), reason);
  }

  @Test
  void connectionClosedBeforeAnyResponseIsAConnectionFailure() {
    server.setFaults(MockFaultSchedule.always(MockFault.reset()));
    agent = agent(config(server).maxRetries(1).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.CONNECTION, reason);
    assertEquals(2, server.requestCount());
  }

  @Test
  void malformedJsonIsNotRetried() {
    server.setFaults(MockFaultSchedule.always(MockFault.malformedJson()));
    agent = agent(config(server).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.MALFORMED_JSON, reason);
    assertTrue(reason.contains("body starts: {\"id\""), reason);
    assertEquals(1, server.requestCount());
  }

  @Test
  void truncatedBodyIsTellsApartFromAFailedConnectionAndRetried() {
    server.setFaults(MockFaultSchedule.always(MockFault.truncatedBody()));
    agent = agent(config(server).maxRetries(1).build());
    String reason = reason(act(agent, turn("hi")));
    assertKind(OpenAiFailureKind.TRUNCATED_BODY, reason);
    assertTrue(reason.contains("cut off after"), reason);
    assertEquals(2, server.requestCount());
  }

  @Test
  void emptyChoicesHaveTheirOwnReason() {
    server.setFaults(MockFaultSchedule.always(MockFault.body(200, "{\"id\":\"x\",\"choices\":[]}")));
    agent = agent(config(server).build());
    assertKind(OpenAiFailureKind.EMPTY_CHOICES, reason(act(agent, turn("hi"))));
  }

  @Test
  void validJsonThatIsNotACompletionIsABadResponse() {
    server.setFaults(MockFaultSchedule.always(MockFault.body(200, "{\"object\":\"list\",\"data\":[]}")));
    agent = agent(config(server).build());
    assertKind(OpenAiFailureKind.BAD_RESPONSE, reason(act(agent, turn("hi"))));
  }

  @Test
  void toolCallWithMalformedArgumentsHasItsOwnReason() {
    server.setResponder(MockResponder.constant(
        MockReply.toolCalls(List.of(ToolCall.of("call_1", "get_weather", "{\"city\": \"Par")))));
    agent = agent(config(server).build());
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
    agent = agent(config(server).build());
    String reason = reason(act(agent, turn("weather?")));
    assertKind(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS, reason);
    assertTrue(reason.contains("a JSON array"), reason);
  }

  @Test
  void malformedArgumentsPassVerbatimWhenConfigured() {
    ToolCall bad = ToolCall.of("call_1", "get_weather", "{\"city\": \"Par");
    server.setResponder(MockResponder.constant(MockReply.toolCalls(List.of(bad))));
    agent = agent(config(server).invalidToolArguments("pass").build());
    assertEquals(List.of(bad), reply(act(agent, turn("weather?"))).message().toolCalls());
  }

  @Test
  void toolWithUnreadableParametersIsABadRequestAndNothingIsSent() {
    agent = agent(config(server).build());
    String reason = reason(act(agent, turn("hi", List.of(new dev.ludus.api.ToolSpec("t", "d", "{not json")))));
    assertKind(OpenAiFailureKind.BAD_REQUEST, reason);
    assertTrue(reason.contains("tool 't'"), reason);
    assertEquals(0, server.requestCount());
  }

  @Test
  void closingAnswersPendingTurnsWithClosed() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    agent = agent(config(server).requestTimeoutMillis(10_000).build());
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
    agent = agent(config(server).build());
    act(agent, turn("a"));
    act(agent, turn("b"));
    OpenAiAgent.Stats s = agent.stats();
    assertEquals(2, s.failures());
    assertEquals(1L, s.failuresByKind().get(OpenAiFailureKind.HTTP_STATUS));
    assertEquals(1L, s.failuresByKind().get(OpenAiFailureKind.MALFORMED_JSON));
    assertEquals(0, s.replies());
  }

  private long gapMillis(int first, int second) {
    var reqs = server.requests();
    return (reqs.get(second).receivedNanos() - reqs.get(first).receivedNanos()) / 1_000_000;
  }
}
