package dev.ludus.agents.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.Message;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's chat-client example is this compiled code, verbatim, and it works against the mock server. */
class ChatClientReadmeExampleTest {
  private static final Path SELF = Path.of("src/test/java/dev/ludus/agents/openai/ChatClientReadmeExampleTest.java");

  @Test
  void theReadmeShowsTheChatClientExampleVerbatim() throws Exception {
    String text = Files.readString(SELF);
    String start = "// readme" + ":start\n";
    int from = text.indexOf(start) + start.length();
    int to = text.lastIndexOf('\n', text.indexOf("// readme" + ":end")) + 1;
    String code = text.substring(from, to - 1).stripIndent() + "\n";
    assertTrue(code.lines().count() <= 12, "the example stays short: " + code.lines().count() + " lines");
    assertTrue(Files.readString(Path.of("..", "README.md")).contains(code),
        "README.md must contain this example verbatim:\n" + code);
  }

  @Test
  void theExampleAsksAJudgeThroughASharedClient() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(MockResponder.constant(MockReply.text("7")))
        .start()) {
      String baseUrl = server.baseUrl();
      // readme:start
      ChatClientPool pool = new ChatClientPool(vertx);  // yours to close; in a run, the plugin context's
      ChatEndpoint judge = ChatEndpoint.builder().baseUrl(baseUrl).model("judge").maxConcurrency(64).build();
      ChatClient client = pool.client(judge);           // the same client for every user of this endpoint
      ChatRequest ask = ChatRequest.of(List.of(Message.user("Rate this answer from 1 to 10: ...")),
          Sampling.greedy(7));                           // temperature 0 with a seed: cached, merged in flight
      CompletionStage<String> verdict = client.complete(ask).thenApply(r -> r instanceof ChatResult.Completion c
          ? c.message().content()                        // also choices, usage, log-probs, token ids if asked
          : ((ChatResult.Failure) r).reason());          // a value, e.g. "timeout: ... gave up after 6 attempts"
      // readme:end
      assertEquals("7", verdict.toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(1, server.requestCount());
      pool.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
