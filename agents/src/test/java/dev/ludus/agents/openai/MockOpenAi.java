package dev.ludus.agents.openai;

import dev.ludus.agents.openai.OpenAiFixtures.CapturingLogger;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.chat.ChatEndpoint;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The mock OpenAI server one test talks to, with every chat client and agent the test made against it: register it
 * as an instance field with {@code @RegisterExtension}, and after each test it closes what the test made (newest
 * first), the server and the Vert.x the clients ran on. Not thread-safe: made and used on the test's thread.
 */
final class MockOpenAi implements AfterEachCallback {
  private final MockOpenAiServer server = MockOpenAiServer.start();
  private final Deque<AutoCloseable> made = new ArrayDeque<>();
  private Vertx vertx;

  /** The running mock server. */
  MockOpenAiServer server() {
    return server;
  }

  /** A client of its own for {@code endpoint}, with no API key in its environment. */
  OpenAiChatClient client(ChatEndpoint.Builder endpoint) {
    return client(endpoint, Map.of(), new CapturingLogger());
  }

  /** A client of its own for {@code endpoint} that reads its environment from {@code env} and logs to {@code log}. */
  OpenAiChatClient client(ChatEndpoint.Builder endpoint, Map<String, String> env, CapturingLogger log) {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return own(OpenAiFixtures.client(endpoint.build(), vertx, env, log));
  }

  /** An agent for {@code config}, with no API key in its environment. */
  OpenAiAgent agent(OpenAiAgentProvider.Config config) {
    return own(OpenAiFixtures.agent(config));
  }

  /** An agent for {@code config} that reads its environment from {@code env} and logs to {@code log}. */
  OpenAiAgent agent(OpenAiAgentProvider.Config config, Map<String, String> env, CapturingLogger log) {
    return own(OpenAiFixtures.agent(config, env, log));
  }

  private <T extends AutoCloseable> T own(T closeable) {
    made.push(closeable);
    return closeable;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      while (!made.isEmpty()) {
        made.pop().close();
      }
    } finally {
      server.close();
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
