package dev.ludus.agents.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ludus serve} over real loopback HTTP, with a real (tiny, untrained) djl-lm model behind it. */
class ModelServerTest {
  static final List<String> WORDS = List.of("hello", "world", "guess", "a", "number", "between", "1", "and", "10",
      "yes", "no", "higher", "lower", "is", "it", "the", "answer", "you", "win", "try", "again", ".", ",", "?", "!",
      "5", "7", "3", "what", "play", "game");
  private static final ObjectMapper JSON = new ObjectMapper();

  static ChatCompletions completions;
  static ModelServer server;
  static PluginContext.Owned context;
  static ChatClient client;

  static DjlLmAgentProvider.Config config() {
    return DjlLmAgentProvider.Config.defaults().withArchitecture(2, 32, 4, 64).withVocabulary(WORDS)
        .withBatching(16, 20);
  }

  @BeforeAll
  static void start() {
    completions = ChatCompletions.create(config());
    server = ModelServer.start(null, completions, ModelServer.Options.loopback("tiny"));
    ChatEndpoint endpoint = ChatEndpoint.builder().baseUrl(server.baseUrl()).model("tiny").apiKeyEnv(null)
        .requestTimeoutMillis(30_000).maxRetries(0).cacheSize(0).build();
    context = PluginContext.standalone(dev.ludus.api.Registry.load(), Map.of("served", endpoint));
    client = context.chatClient("served");
  }

  @AfterAll
  static void stop() {
    context.close();
    server.close();
    completions.close();
  }

  static ChatResult.Completion ask(ChatRequest request) throws Exception {
    ChatResult r = client.complete(request).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return assertInstanceOf(ChatResult.Completion.class, r, () -> "failed: " + r);
  }

  static ChatRequest question(Sampling sampling) {
    return ChatRequest.of(List.of(Message.system("play a game ."), Message.user("guess a number between 1 and 10 ?")),
        sampling);
  }

  @Test
  void logProbsAndTokenIdsOverHttpMatchTheModelsOwnScoring() throws Exception {
    ChatResult.Completion c = ask(question(Sampling.builder().temperature(1).seed(7L).maxTokens(10).logprobs(true)
        .topLogprobs(3).returnTokenIds(true).build()));
    TokenTrace t = c.first().tokenTrace().orElseThrow(() -> new AssertionError("no token trace"));
    assertTrue(t.outputIds().length >= 1);
    assertTrue(t.promptIds().length > 5, "the prompt ids are the rendered conversation");
    float[] scored = completions.trainable().logProbs(List.of(t.promptIds()), List.of(t.outputIds()),
        new double[] {1.0})[0];
    assertArrayEquals(scored, t.logProbs(), 1e-4f);
    List<ChatResult.TokenLogProb> lps = c.first().logProbs();
    assertEquals(t.outputIds().length, lps.size());
    for (ChatResult.TokenLogProb lp : lps) {
      assertEquals(3, lp.top().size(), "three alternatives per position");
      assertTrue(lp.top().get(0).logProb() >= lp.top().get(1).logProb(), "most likely first");
      assertTrue(lp.logProb() <= lp.top().get(0).logProb() + 1e-5, "nothing beats the most likely alternative");
    }
    assertEquals(completions.tokenizer().decode(java.util.Arrays.copyOf(t.outputIds(),
        t.outputIds()[t.outputIds().length - 1] == completions.tokenizer().eosId() ? t.outputIds().length - 1
            : t.outputIds().length)), c.message().content());
  }

  @Test
  void theSameSeedGivesTheSameCompletionsAndNGivesDistinctSeededChoices() throws Exception {
    Sampling s = Sampling.builder().temperature(1.5).seed(11L).maxTokens(8).n(4).logprobs(true).returnTokenIds(true)
        .build();
    ChatResult.Completion a = ask(question(s));
    ChatResult.Completion b = ask(question(s));
    assertEquals(4, a.choices().size());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(a.choices().get(i).tokens().outputIds(), b.choices().get(i).tokens().outputIds());
    }
    assertTrue(a.choices().stream().map(ch -> java.util.Arrays.toString(ch.tokens().outputIds())).distinct().count() > 1,
        "n choices sample with different seeds");
    assertTrue(completions.statistics().largestBatch() >= 2, "the n choices of a request share a forward pass");
    ChatResult.Completion other = ask(question(s.toBuilder().seed(12L).build()));
    assertNotEquals(java.util.Arrays.toString(a.first().tokens().outputIds()) + a.choices().get(1),
        java.util.Arrays.toString(other.first().tokens().outputIds()) + other.choices().get(1));
  }

  @Test
  void maxTokensAndGreedyAreHonoured() throws Exception {
    ChatResult.Completion c = ask(question(Sampling.builder().temperature(0).seed(1L).maxTokens(3).logprobs(true)
        .returnTokenIds(true).build()));
    assertTrue(c.first().tokens().outputIds().length <= 3);
    ChatResult.Completion again = ask(question(Sampling.builder().temperature(0).seed(99L).maxTokens(3).logprobs(true)
        .returnTokenIds(true).build()));
    assertArrayEquals(c.first().tokens().outputIds(), again.first().tokens().outputIds(), "greedy ignores the seed");
  }

  @Test
  void modelsListsTheServedModelAndBadRequestsAreOpenAiErrors() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, models.statusCode());
    assertEquals("tiny", JSON.readTree(models.body()).path("data").get(0).path("id").asText());

    HttpResponse<String> bad = post(http, "{\"model\":\"tiny\",\"temperature\":5,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hello\"}]}", null);
    assertEquals(400, bad.statusCode());
    JsonNode error = JSON.readTree(bad.body()).path("error");
    assertEquals("temperature", error.path("param").asText());
    assertTrue(error.path("message").asText().contains("[0, 2]"), error.toString());

    HttpResponse<String> unknown = post(http, "{\"model\":\"other\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hello\"}]}", null);
    assertEquals(404, unknown.statusCode());
    HttpResponse<String> stream = post(http, "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
        null);
    assertEquals(400, stream.statusCode());
  }

  @Test
  void aTokenIsRequiredOffLoopbackAndCheckedOnEveryRequest() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ModelServer.Options("0.0.0.0", 0, "tiny", null, 16, 4));
    assertTrue(e.getMessage().contains("--token"), e.getMessage());
    try (ModelServer guarded = ModelServer.start(null, completions,
        ModelServer.Options.loopback("tiny").withToken("s3cret"))) {
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
      assertEquals(401, post(http, guarded.baseUrl(), body, null).statusCode());
      assertEquals(401, post(http, guarded.baseUrl(), body, "wrong").statusCode());
      HttpResponse<String> ok = post(http, guarded.baseUrl(), body, "s3cret");
      assertEquals(200, ok.statusCode(), ok.body());
      assertNotNull(JSON.readTree(ok.body()).path("choices").get(0).path("message").path("content").asText(null));
      assertFalse(JSON.readTree(ok.body()).has("prompt_token_ids"), "token ids only when asked for");
    }
  }

  @Test
  void aRequestWhoseRenderingIsHeldDoesNotHoldUpAnotherConnectionsModelsList() throws Exception {
    // the completer stands for a slow chat template: it holds the request's rendering until released
    CountDownLatch rendering = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    AtomicBoolean onEventLoop = new AtomicBoolean(true);
    try (ModelServer held = ModelServer.start(null, completions, (parse, answers) -> completions.complete(() -> {
      thread.set(Thread.currentThread().getName());
      onEventLoop.set(io.vertx.core.Context.isOnEventLoopThread());
      rendering.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return parse.get();
    }, answers), ModelServer.Options.loopback("tiny"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
      CompletableFuture<HttpResponse<String>> chat = http.sendAsync(HttpRequest.newBuilder(
          URI.create(held.baseUrl() + "/chat/completions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"max_tokens\":2,\"messages\":[{\"role\":\"user\","
              + "\"content\":\"hello\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
      try {
        assertTrue(rendering.await(60, TimeUnit.SECONDS), "the chat request reached rendering");
        // a second connection (a new client) while the first request's rendering is held
        HttpResponse<String> models = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()
            .send(HttpRequest.newBuilder(URI.create(held.baseUrl() + "/models")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode(), models.body());
        assertEquals(1, release.getCount(), "answered while the rendering was still held");
        assertFalse(chat.isDone(), "the held request is still waiting");
      } finally {
        release.countDown();
      }
      HttpResponse<String> answered = chat.get(60, TimeUnit.SECONDS);
      assertEquals(200, answered.statusCode(), answered.body());
      assertFalse(onEventLoop.get(), "rendering ran on an event loop: " + thread.get());
    }
  }

  private static HttpResponse<String> post(HttpClient http, String body, String token) throws Exception {
    return post(http, server.baseUrl(), body, token);
  }

  private static HttpResponse<String> post(HttpClient http, String base, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
