package dev.ludus.agents.openai;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Shared fixtures for the openai backend's tests: agent turns and chat requests, configs and endpoints against
 * a mock, a capturing logger.
 */
final class OpenAiFixtures {
  static final String KEY = "sk-test-0123456789abcdefSECRET";

  private OpenAiFixtures() {}

  static AgentRequest turn(String userText) {
    return turn(userText, List.of());
  }

  static AgentRequest turn(String userText, List<ToolSpec> tools) {
    return new AgentRequest("ep-1", Task.generated("test", 7), 7, 0,
        List.of(Message.system("You are terse."), Message.user(userText)), tools);
  }

  /** A config aimed at {@code server}: the transport of {@link #endpoint}, the agent's defaults otherwise. */
  static OpenAiAgentProvider.Builder config(MockOpenAiServer server) {
    return OpenAiAgentProvider.Config.builder().endpoint(endpoint(server).build());
  }

  static OpenAiAgent agent(OpenAiAgentProvider.Config config) {
    return agent(config, Map.of(), new CapturingLogger());
  }

  static OpenAiAgent agent(OpenAiAgentProvider.Config config, Map<String, String> env, CapturingLogger log) {
    Function<String, String> lookup = env::get;
    return new OpenAiAgent(config, null, lookup, log);
  }

  /** An endpoint aimed at {@code server}, with fast timeouts and backoff for tests. */
  static ChatEndpoint.Builder endpoint(MockOpenAiServer server) {
    return ChatEndpoint.builder()
        .baseUrl(server.baseUrl())
        .model("mock-model")
        .apiKeyEnv(null)
        .requestTimeoutMillis(2_000)
        .maxRetries(2)
        .backoffBaseMillis(5)
        .backoffMaxMillis(20);
  }

  /** A client of its own for {@code endpoint} on {@code vertx}, with no API key in its environment. */
  static OpenAiChatClient client(ChatEndpoint endpoint, Vertx vertx) {
    return client(endpoint, vertx, Map.of(), new CapturingLogger());
  }

  static OpenAiChatClient client(ChatEndpoint endpoint, Vertx vertx, Map<String, String> env, CapturingLogger log) {
    Function<String, String> lookup = env::get;
    return new OpenAiChatClient(endpoint, vertx, lookup, log);
  }

  /** A system prompt and {@code userText}, sampled with the defaults. */
  static ChatRequest ask(String userText) {
    return ChatRequest.of(List.of(Message.system("You are terse."), Message.user(userText)));
  }

  static ChatResult complete(ChatClient client, ChatRequest request) {
    return await(client.complete(request), "complete");
  }

  /** What {@code stage} completes with, within 20 seconds; an assertion failure naming {@code what} otherwise. */
  private static <T> T await(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(what + " did not complete normally: " + e, e);
    }
  }

  static ChatResult.Completion completion(ChatResult r) {
    if (r instanceof ChatResult.Completion c) {
      return c;
    }
    throw new AssertionError("expected a completion, got " + r);
  }

  static ChatResult.Failure failure(ChatResult r) {
    if (r instanceof ChatResult.Failure f) {
      return f;
    }
    throw new AssertionError("expected a failure, got " + r);
  }

  static ChatResult.Failure failure(ChatFailureKind kind, ChatResult r) {
    ChatResult.Failure f = failure(r);
    if (f.kind() != kind) {
      throw new AssertionError("expected a failure of kind " + kind + ", got " + f);
    }
    return f;
  }

  static AgentResponse act(dev.ludus.api.Agent agent, AgentRequest request) {
    return await(agent.act(request), "act");
  }

  static AgentResponse.Reply reply(AgentResponse r) {
    if (r instanceof AgentResponse.Reply reply) {
      return reply;
    }
    throw new AssertionError("expected a reply, got " + r);
  }

  static String reason(AgentResponse r) {
    if (r instanceof AgentResponse.Failure f) {
      return f.reason();
    }
    throw new AssertionError("expected a failure, got " + r);
  }

  /** An SLF4J logger with every level on that keeps the formatted messages. Thread-safe. */
  static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient List<String> lines = Collections.synchronizedList(new ArrayList<>());

    CapturingLogger() {
      this.name = "capture";
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable t) {
      String text = MessageFormatter.basicArrayFormat(pattern, args);
      lines.add(level + " " + text + (t == null ? "" : " " + t));
    }
  }
}
