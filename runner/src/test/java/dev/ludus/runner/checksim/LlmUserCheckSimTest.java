package dev.ludus.runner.checksim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.config.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * check-sim on an LLM-driven user ({@code test-llm-user}, whose replies come from a named chat endpoint) behind the
 * mock server, under a scripted well-behaved user model and a scripted bad one: the checks tell them apart, and the
 * user's requests are counted under its endpoint's name.
 */
class LlmUserCheckSimTest {
  /** What a user model says to the agent's last message. */
  private static MockResponder userModel(boolean good) {
    return request -> {
      JsonNode messages = request.json().path("messages");
      String said = messages.get(messages.size() - 1).path("content").asText().toLowerCase();
      if (said.contains("confirm")) {
        return MockReply.text(good ? "Yes, please go ahead." : "###STOP### yes");
      }
      if (said.contains("passport") || said.contains("teacher") || said.contains("maiden") || said.contains("plate")) {
        return MockReply.text(good ? "I don't know, sorry." : "It is X-4411.");
      }
      return MockReply.text(good ? "Hmm, let me think about it." : "Assistant: How can I help you today?");
    };
  }

  private static SimReport check(boolean good) {
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(userModel(good)).start();
        PluginContext.Owned context = PluginContext.standalone(Registry.load(), Map.of("shared",
            ChatEndpoint.builder().baseUrl(server.baseUrl()).model("user").apiKeyEnv(null).cacheSize(0).build()))) {
      SimReport r = SimChecks.build(context, "test-llm-user", Json.YAML.createObjectNode(), "twenty-questions", null,
          null).episodes(4).run();
      assertTrue(context.chatUsage().get("shared").requests() >= 12, "the user's requests, counted under its name: "
          + context.chatUsage());
      return r;
    }
  }

  @Test
  void aWellBehavedLlmUser_passes_andABadOne_isCaught() {
    SimReport good = check(true);
    SimReport bad = check(false);
    assertEquals(1.0, good.rate("confirmation"), good.toString());
    assertEquals(1.0, good.rate("unknown-facts"), good.toString());
    assertEquals(1.0, good.rate("user-voice"), good.toString());
    assertEquals("twenty-questions", good.environment());
    assertEquals(0.0, bad.rate("unknown-facts"), bad.toString());
    assertEquals(0.0, bad.rate("stop-token"), bad.toString());
    assertTrue(bad.rate("user-voice") < 0.5, bad.toString());
  }
}
