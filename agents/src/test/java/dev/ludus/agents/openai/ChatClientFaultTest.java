package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.ask;
import static dev.ludus.agents.openai.OpenAiFixtures.client;
import static dev.ludus.agents.openai.OpenAiFixtures.complete;
import static dev.ludus.agents.openai.OpenAiFixtures.completion;
import static dev.ludus.agents.openai.OpenAiFixtures.endpoint;
import static dev.ludus.agents.openai.OpenAiFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.ToolChoice;
import java.net.ServerSocket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every transport fault ends as a failure value of its own kind, with the attempts it took; retried faults are
 * retried, others are not.
 */
class ChatClientFaultTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiChatClient client;

  private OpenAiChatClient client(ChatEndpoint.Builder endpoint) {
    client = mock.client(endpoint);
    return client;
  }

  @Test
  void clientErrorIsFinalAtOnceWithStatusAndBodyExcerpt() {
    server.setFaults(MockFaultSchedule.always(MockFault.status(400, "max_tokens is too large for this model")));
    ChatResult.Failure f = failure(ChatFailureKind.HTTP_STATUS, complete(client(endpoint(server)), ask("hi")));
    assertTrue(f.detail().contains("HTTP 400") && f.detail().contains("max_tokens is too large"), f.detail());
    assertEquals("http-status: " + f.detail(), f.reason());
    assertEquals(1, f.attempts());
    assertEquals(1, server.requestCount(), "4xx is not retried");
  }

  @Test
  void longErrorBodiesAreTruncatedInTheReason() {
    server.setFaults(MockFaultSchedule.always(MockFault.status(422, "x".repeat(20_000))));
    String reason = failure(complete(client(endpoint(server)), ask("hi"))).reason();
    assertTrue(reason.length() < 600, "reason length " + reason.length());
    assertTrue(reason.contains("chars)"), reason);
  }

  @Test
  void serverErrorsAreRetriedUntilTheServerAnswers() {
    server.setFaults(MockFaultSchedule.firstK(2, MockFault.serverError()));
    ChatResult.Completion c = completion(complete(client(endpoint(server).maxRetries(3)), ask("hi")));
    assertEquals("echo: hi", c.message().content());
    assertEquals(3, c.attempts());
    assertEquals(3, server.requestCount());
    assertEquals(2, client.stats().retries());
  }

  @Test
  void serverErrorsGiveUpAfterMaxRetriesWithTheLastStatus() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    ChatResult.Failure f = failure(ChatFailureKind.HTTP_STATUS,
        complete(client(endpoint(server).maxRetries(2)), ask("hi")));
    assertTrue(f.detail().contains("HTTP 500") && f.detail().contains("gave up after 3 attempts"), f.detail());
    assertEquals(3, f.attempts());
    assertEquals(3, server.requestCount());
  }

  @Test
  void rateLimitWaitsAtLeastRetryAfterSeconds() {
    server.setFaults(MockFaultSchedule.firstK(1, MockFault.rateLimited("1")));
    completion(complete(client(endpoint(server).maxRetries(1)), ask("hi")));
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
    completion(complete(client(endpoint(server).maxRetries(1)), ask("hi")));
    long gapMillis = gapMillis(0, 1);
    // the date has whole seconds, so it lies 2..3 s after the response
    assertTrue(gapMillis >= 1_950, "retried after " + gapMillis + " ms, Retry-After was a date >= 2 s ahead");
  }

  @Test
  void retryAfterBeyondTheLimitFailsAtOnce() {
    server.setFaults(MockFaultSchedule.always(MockFault.rateLimited("3600")));
    ChatResult.Failure f = failure(ChatFailureKind.RETRY_AFTER_TOO_LONG,
        complete(client(endpoint(server).maxRetryAfterMillis(5_000)), ask("hi")));
    assertTrue(f.detail().contains("HTTP 429") && f.detail().contains("3600000 ms"), f.detail());
    assertEquals(1, server.requestCount());
  }

  @Test
  void aHangingServerTimesOutOnEveryAttempt() {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    client(endpoint(server).requestTimeoutMillis(250).maxRetries(1));
    long start = System.nanoTime();
    ChatResult.Failure f = failure(ChatFailureKind.TIMEOUT, complete(client, ask("hi")));
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    assertTrue(f.detail().contains("within 250 ms") && f.detail().contains("gave up after 2 attempts"), f.detail());
    assertEquals(2, server.requestCount());
    assertTrue(elapsed >= 500, "two attempts of 250 ms took " + elapsed + " ms");
  }

  @Test
  void refusedConnectionIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ChatResult.Failure f = failure(ChatFailureKind.CONNECTION, complete(client(endpoint(server)
        .baseUrl("http://127.0.0.1:" + port + "/v1").maxRetries(1)), ask("hi")));
    assertTrue(f.detail().contains("gave up after 2 attempts"), f.detail());
  }

  @Test
  void connectionClosedBeforeAnyResponseIsAConnectionFailure() {
    server.setFaults(MockFaultSchedule.always(MockFault.reset()));
    failure(ChatFailureKind.CONNECTION, complete(client(endpoint(server).maxRetries(1)), ask("hi")));
    assertEquals(2, server.requestCount());
  }

  @Test
  void malformedJsonIsRetriedAndFailsWithItsOwnKindWhenRetriesRunOut() {
    server.setFaults(MockFaultSchedule.always(MockFault.malformedJson()));
    ChatResult.Failure f = failure(ChatFailureKind.MALFORMED_JSON, complete(client(endpoint(server)), ask("hi")));
    assertTrue(f.detail().contains("body starts: {\"id\""), f.detail());
    assertEquals(3, server.requestCount(), "the first attempt and maxRetries (2) more");
    assertEquals("closed", client.stats().circuit(), "a garbled body does not count against the server's health");
  }

  @Test
  void aMalformedBodyFollowedByAGoodOneIsACompletion() {
    server.setFaults(MockFaultSchedule.firstK(1, MockFault.malformedJson()));
    ChatResult.Completion c = completion(complete(client(endpoint(server)), ask("hi")));
    assertEquals(2, c.attempts());
  }

  @Test
  void truncatedBodyIsToldApartFromAFailedConnectionAndRetried() {
    server.setFaults(MockFaultSchedule.always(MockFault.truncatedBody()));
    ChatResult.Failure f = failure(ChatFailureKind.TRUNCATED_BODY,
        complete(client(endpoint(server).maxRetries(1)), ask("hi")));
    assertTrue(f.detail().contains("cut off after"), f.detail());
    assertEquals(2, server.requestCount());
  }

  @Test
  void emptyChoicesHaveTheirOwnKind() {
    server.setFaults(MockFaultSchedule.always(MockFault.body(200, "{\"id\":\"x\",\"choices\":[]}")));
    failure(ChatFailureKind.EMPTY_CHOICES, complete(client(endpoint(server)), ask("hi")));
  }

  @Test
  void validJsonThatIsNotACompletionIsABadResponse() {
    server.setFaults(MockFaultSchedule.always(MockFault.body(200, "{\"object\":\"list\",\"data\":[]}")));
    failure(ChatFailureKind.BAD_RESPONSE, complete(client(endpoint(server)), ask("hi")));
  }

  @Test
  void toolWithUnreadableParametersIsABadRequestAndNothingIsSent() {
    ChatRequest r = ask("hi").withTools(List.of(new ToolSpec("t", "d", "{not json")), ToolChoice.AUTO);
    ChatResult.Failure f = failure(ChatFailureKind.BAD_REQUEST, complete(client(endpoint(server)), r));
    assertTrue(f.detail().contains("tool 't'"), f.detail());
    assertEquals(0, f.attempts());
    assertEquals(0, server.requestCount());
  }

  @Test
  void closingAnswersPendingRequestsWithClosedAndLaterOnesToo() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.hang()));
    client(endpoint(server).requestTimeoutMillis(10_000));
    CompletableFuture<ChatResult> pending = client.complete(ask("hi")).toCompletableFuture();
    while (server.requestCount() == 0) {
      Thread.sleep(5);
    }
    client.close();
    failure(ChatFailureKind.CLOSED, pending.get(5, TimeUnit.SECONDS));
    failure(ChatFailureKind.CLOSED, client.complete(ask("again")).toCompletableFuture().get(1, TimeUnit.SECONDS));
  }

  @Test
  void failuresAreCountedByKind() {
    server.setFaults(index -> index == 0 ? MockFault.status(400, "no") : MockFault.malformedJson());
    client(endpoint(server).maxRetries(0));
    complete(client, ask("a"));
    complete(client, ask("b"));
    ChatClientStats s = client.stats();
    assertEquals(2, s.failures());
    assertEquals(1L, s.failuresByKind().get(ChatFailureKind.HTTP_STATUS));
    assertEquals(1L, s.failuresByKind().get(ChatFailureKind.MALFORMED_JSON));
    assertEquals(0, s.completions());
    assertEquals(2, s.requests());
  }

  private long gapMillis(int first, int second) {
    var reqs = server.requests();
    return (reqs.get(second).receivedNanos() - reqs.get(first).receivedNanos()) / 1_000_000;
  }
}
