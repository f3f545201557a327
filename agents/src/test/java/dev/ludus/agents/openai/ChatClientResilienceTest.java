package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.ask;
import static dev.ludus.agents.openai.OpenAiFixtures.complete;
import static dev.ludus.agents.openai.OpenAiFixtures.completion;
import static dev.ludus.agents.openai.OpenAiFixtures.endpoint;
import static dev.ludus.agents.openai.OpenAiFixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The circuit breaker, the concurrency cap and the cache of deterministic requests of one endpoint's client. */
class ChatClientResilienceTest {
  private static final Sampling GREEDY = Sampling.greedy(1234L);
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiChatClient client;

  private OpenAiChatClient client(ChatEndpoint.Builder endpoint) {
    client = mock.client(endpoint);
    return client;
  }

  private ChatFailureKind kind(ChatRequest r) {
    return failure(complete(client, r)).kind();
  }

  @Test
  void withoutWaitingTheBreakerOpensAfterNFailuresFailsFastThenClosesWhenTheServerRecovers() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    // open for a second, waited out for two: a loaded machine's late event loop cannot flip either check
    client(endpoint(server).maxRetries(0).breakerMaxFailures(3).breakerOpenMillis(1_000).breakerMaxWaitMillis(0));
    for (int i = 0; i < 3; i++) {
      assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("hi")));
    }
    long start = System.nanoTime();
    ChatResult.Failure open = failure(complete(client, ask("hi")));
    long fastMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(ChatFailureKind.CIRCUIT_OPEN, open.kind(), open.reason());
    assertEquals(0, open.attempts(), "nothing was sent");
    assertEquals(3, server.requestCount(), "an open circuit does not reach the server");
    assertTrue(fastMillis < 1_000, "failed fast (before the circuit could half-open) in " + fastMillis + " ms");
    assertEquals("open", client.stats().circuit());

    server.setFaults(MockFaultSchedule.none());
    assertEquals(ChatFailureKind.CIRCUIT_OPEN, kind(ask("hi")), "still open before the open duration has passed");
    Thread.sleep(2_000);
    assertEquals("echo: hi", completion(complete(client, ask("hi"))).message().content(),
        "trial request closes the circuit");
    assertEquals("echo: again", completion(complete(client, ask("again"))).message().content());
    assertEquals(5, server.requestCount());
    assertEquals("closed", client.stats().circuit());
  }

  @Test
  void aFailedTrialRequestOpensTheCircuitAgain() throws Exception {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    // an open duration of a second and a wait of twice that, so neither a late event loop on a loaded machine (the
    // trial found the circuit still open after 400 ms against 300 once) nor a slow next request flips the outcome
    client(endpoint(server).maxRetries(0).breakerMaxFailures(2).breakerOpenMillis(1_000).breakerMaxWaitMillis(0));
    complete(client, ask("a"));
    complete(client, ask("b"));
    Thread.sleep(2_000);
    assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("trial")));
    assertEquals(3, server.requestCount());
    assertEquals(ChatFailureKind.CIRCUIT_OPEN, kind(ask("c")));
    assertEquals(3, server.requestCount());
  }

  @Test
  void clientErrorsAndRateLimitsDoNotOpenTheCircuit() {
    server.setFaults(index -> index % 2 == 0 ? MockFault.status(400, "bad") : MockFault.rateLimited("0"));
    client(endpoint(server).maxRetries(0).breakerMaxFailures(2));
    for (int i = 0; i < 6; i++) {
      assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("hi")));
    }
    assertEquals(6, server.requestCount());
  }

  @Test
  void retriesStopAtAnOpenCircuit() {
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    client(endpoint(server).maxRetries(10).breakerMaxFailures(3).breakerOpenMillis(60_000).breakerMaxWaitMillis(0));
    ChatResult.Failure f = failure(ChatFailureKind.CIRCUIT_OPEN, complete(client, ask("hi")));
    assertTrue(f.detail().contains("3 earlier attempts failed"), f.detail());
    assertEquals(3, f.attempts());
    assertEquals(3, server.requestCount());
  }

  @Test
  void whileTheBreakerIsOpenRequestsWaitAndGoOnWhenItHalfOpensInsteadOfFailing() throws Exception {
    client(endpoint(server).maxRetries(0).breakerMaxFailures(2).breakerOpenMillis(400).breakerMaxWaitMillis(10_000));
    assertEquals("echo: up", completion(complete(client, ask("up"))).message().content(), "the endpoint answered once");
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("a")));
    assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("b")));
    assertEquals("open", client.stats().circuit());
    int sentBeforeWaiting = server.requestCount();
    server.setFaults(MockFaultSchedule.none());
    List<CompletableFuture<ChatResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiting.add(client.complete(ask("w" + i)).toCompletableFuture());
    }
    Thread.sleep(150);
    assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "the turns wait while the circuit is open");
    assertEquals(sentBeforeWaiting, server.requestCount(), "nothing reaches the server while the circuit is open");
    for (int i = 0; i < waiting.size(); i++) {
      assertEquals("echo: w" + i, completion(waiting.get(i).get(10, TimeUnit.SECONDS)).message().content(),
          "resumed after the trial request closed the circuit");
    }
    assertEquals(sentBeforeWaiting + 8, server.requestCount(), "each waiting request sent once, the trial first");
    assertEquals(8, client.stats().breakerWaits());
    assertEquals("closed", client.stats().circuit());
  }

  @Test
  void aFailedTrialKeepsTheOthersWaitingAndOnlyTrialsReachTheServer() throws Exception {
    client(endpoint(server).maxRetries(0).breakerMaxFailures(1).breakerOpenMillis(150).breakerMaxWaitMillis(10_000));
    completion(complete(client, ask("up")));
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    assertEquals(ChatFailureKind.HTTP_STATUS, kind(ask("a")));
    int sent = server.requestCount();
    List<CompletableFuture<ChatResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waiting.add(client.complete(ask("w" + i)).toCompletableFuture());
    }
    Thread.sleep(700); // about four open periods, each ending in one failed trial
    int trials = server.requestCount() - sent;
    assertTrue(trials >= 1 && trials <= 6, "only trial requests while the circuit is open: " + trials);
    server.setFaults(MockFaultSchedule.none());
    int done = 0;
    for (CompletableFuture<ChatResult> f : waiting) {
      if (f.get(10, TimeUnit.SECONDS) instanceof ChatResult.Completion) {
        done++;
      }
    }
    assertTrue(done >= 6 - trials, "the requests that were not a failed trial complete: " + done + " of 6");
  }

  @Test
  void aWaitLongerThanBreakerMaxWaitFailsWithCircuitOpenSayingSo() {
    client(endpoint(server).maxRetries(0).breakerMaxFailures(1).breakerOpenMillis(60_000).breakerMaxWaitMillis(200));
    completion(complete(client, ask("up")));
    server.setFaults(MockFaultSchedule.always(MockFault.serverError()));
    kind(ask("a"));
    long start = System.nanoTime();
    ChatResult.Failure f = failure(ChatFailureKind.CIRCUIT_OPEN, complete(client, ask("b")));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(f.detail().contains("waited") && f.detail().contains("breakerMaxWaitMillis"), f.detail());
    assertTrue(millis >= 190, "it waited first: " + millis + " ms");
  }

  @Test
  void anEndpointThatNeverRespondedFailsFastOnAnOpenCircuit() {
    String baseUrl = server.baseUrl();
    server.close(); // nothing listens there any more: connection refused
    client(ChatEndpoint.builder().baseUrl(baseUrl).model("m").apiKeyEnv(null).maxRetries(0).breakerMaxFailures(1)
        .breakerOpenMillis(60_000));
    assertEquals(ChatFailureKind.CONNECTION, kind(ask("a")));
    long start = System.nanoTime();
    ChatResult.Failure f = failure(ChatFailureKind.CIRCUIT_OPEN, complete(client, ask("b")));
    assertTrue(f.detail().contains("no response ever came from the endpoint"), f.detail());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1_000, "failed fast");
  }

  @Test
  void concurrencyCapHoldsAndTheRestQueue() {
    server.setLatencyMillis(60);
    // a generous attempt deadline: under load a timed-out attempt is retried on a fresh connection, which is not
    // what this test is about
    client(endpoint(server).maxConcurrency(4).requestTimeoutMillis(30_000));
    List<CompletableFuture<ChatResult>> requests = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 24; i++) {
      requests.add(client.complete(ask("n" + i)).toCompletableFuture());
    }
    long submitMillis = (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < requests.size(); i++) {
      assertEquals("echo: n" + i, completion(requests.get(i).join()).message().content());
    }
    assertEquals(4, server.maxInFlight(), "the server saw at most (and, queued, exactly) 4 at once");
    assertEquals(4, client.stats().maxInFlight());
    assertTrue(server.connectionCount() <= 4, "one pool of at most 4 connections: " + server.connectionCount());
    assertTrue(submitMillis < 1_000, "complete does not wait for a permit: " + submitMillis + " ms for 24 calls");
  }

  @Test
  void identicalDeterministicRequestsHitTheServerOnce() {
    client(endpoint(server));
    ChatResult.Completion first = completion(complete(client, ask("same").withSampling(GREEDY)));
    assertFalse(first.cached());
    assertEquals(1, first.attempts());
    for (int i = 0; i < 2; i++) {
      ChatResult.Completion again = completion(complete(client, ask("same").withSampling(GREEDY)));
      assertEquals("echo: same", again.message().content());
      assertTrue(again.cached());
      assertEquals(0, again.attempts());
    }
    assertEquals(1, server.requestCount());
    ChatClientStats.Cache stats = client.stats().cache();
    assertTrue(stats.enabled());
    assertEquals(2, stats.hits());
    assertEquals(1, stats.misses());
    assertEquals(1, stats.size());
    completion(complete(client, ask("different").withSampling(GREEDY)));
    assertEquals(2, server.requestCount(), "a different request is not a hit");
  }

  @Test
  void identicalDeterministicRequestsInFlightAreMerged() {
    server.setLatencyMillis(100);
    client(endpoint(server));
    CompletableFuture<ChatResult> a = client.complete(ask("x").withSampling(GREEDY)).toCompletableFuture();
    CompletableFuture<ChatResult> b = client.complete(ask("x").withSampling(GREEDY)).toCompletableFuture();
    assertEquals(completion(a.join()).message(), completion(b.join()).message());
    assertTrue(completion(b.join()).cached(), "the second joined the first");
    assertEquals(1, server.requestCount());
  }

  @Test
  void samplingRequestsAreNeverCached() {
    client(endpoint(server));
    Sampling sampled = Sampling.builder().temperature(0.8).seed(1234L).build();
    for (int i = 0; i < 3; i++) {
      assertFalse(completion(complete(client, ask("same").withSampling(sampled))).cached());
    }
    assertEquals(3, server.requestCount());
  }

  @Test
  void temperatureZeroWithoutASeedIsNotCached() {
    client(endpoint(server));
    Sampling unseeded = Sampling.builder().temperature(0).build();
    completion(complete(client, ask("same").withSampling(unseeded)));
    completion(complete(client, ask("same").withSampling(unseeded)));
    assertEquals(2, server.requestCount());
  }

  @Test
  void aCacheSizeOfZeroTurnsTheCacheOff() {
    client(endpoint(server).cacheSize(0));
    completion(complete(client, ask("same").withSampling(GREEDY)));
    completion(complete(client, ask("same").withSampling(GREEDY)));
    assertEquals(2, server.requestCount());
    assertFalse(client.stats().cache().enabled());
  }

  @Test
  void failuresAreNotCached() {
    server.setFaults(MockFaultSchedule.firstK(1, MockFault.status(400, "once")));
    client(endpoint(server));
    failure(complete(client, ask("same").withSampling(GREEDY)));
    assertFalse(completion(complete(client, ask("same").withSampling(GREEDY))).cached());
    assertTrue(completion(complete(client, ask("same").withSampling(GREEDY))).cached());
    assertEquals(2, server.requestCount());
    assertEquals(1, client.stats().cache().hits());
  }
}
