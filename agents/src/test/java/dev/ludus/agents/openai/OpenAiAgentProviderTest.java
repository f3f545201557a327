package dev.ludus.agents.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenAiAgentProviderTest {
  private static OpenAiAgentProvider.Builder defaults() {
    return OpenAiAgentProvider.Config.builder();
  }

  @Test
  void registeredUnderTheNameOpenai() {
    assertInstanceOf(OpenAiAgentProvider.class, Registry.load().agents().get("openai"));
  }

  @Test
  void defaultsAreSensible() {
    OpenAiAgentProvider.Config c = new OpenAiAgentProvider().defaultConfig();
    assertEquals("http://127.0.0.1:8000/v1", c.baseUrl());
    assertEquals("OPENAI_API_KEY", c.apiKeyEnv());
    assertEquals(1.0, c.temperature());
    assertTrue(c.logprobs());
    assertEquals("auto", c.toolChoice());
    assertEquals(dev.ludus.agents.toolcalls.TextToolCalls.Format.NONE, c.textToolCalls());
    assertEquals(dev.ludus.agents.toolcalls.TextToolCalls.OnInvalid.FAIL, c.invalidToolArguments());
    assertNull(c.seed());
    assertTrue(c.maxRetries() > 0 && c.maxConcurrency() > 1 && c.cacheSize() > 0);
  }

  @Test
  void configSurvivesAJacksonRoundTripAsTheRunnerBindsIt() throws Exception {
    ObjectMapper m = new ObjectMapper();
    OpenAiAgentProvider.Config c = defaults().seed(7L).stop(List.of("END")).temperature(0).build();
    ObjectNode tree = m.valueToTree(c);
    tree.put("maxRetries", 9);
    OpenAiAgentProvider.Config back = m.treeToValue(tree, OpenAiAgentProvider.Config.class);
    assertEquals(c.toBuilder().maxRetries(9).build(), back);
  }

  @Test
  void toolCallOptionsBindFromTheirLowerCaseNamesAndWriteThemBack() throws Exception {
    ObjectNode tree = new ObjectMapper().createObjectNode().put("textToolCalls", "hermes")
        .put("invalidToolArguments", "pass");
    OpenAiAgentProvider.Config c = dev.ludus.api.ConfigBinder.bind(new OpenAiAgentProvider(), tree);
    assertEquals(dev.ludus.agents.toolcalls.TextToolCalls.Format.HERMES, c.textToolCalls());
    assertEquals(dev.ludus.agents.toolcalls.TextToolCalls.OnInvalid.PASS, c.invalidToolArguments());
    assertEquals("hermes", dev.ludus.api.ConfigBinder.tree(c).get("textToolCalls").asText());
    assertEquals("pass", dev.ludus.api.ConfigBinder.tree(c).get("invalidToolArguments").asText());
  }

  @Test
  void trailingSlashOfTheBaseUrlIsDropped() {
    assertEquals("http://h:1/v1", defaults().baseUrl("http://h:1/v1/").build().baseUrl());
  }

  @Test
  void badValuesAreRejectedNamingFieldValueAndWhatIsAllowed() {
    assertMessage(defaults().temperature(3), "temperature", "'3.0'", "[0, 2]");
    assertMessage(defaults().topP(0), "topP", "'0.0'", "(0, 1]");
    assertMessage(defaults().maxTokens(0), "maxTokens", "'0'", ">= 1");
    assertMessage(defaults().baseUrl("ftp://x/v1"), "baseUrl", "'ftp://x/v1'", "http(s) URL");
    assertMessage(defaults().baseUrl("http://user:pw@h/v1"), "baseUrl", "credentials");
    assertMessage(defaults().apiKeyEnv("sk-live-123"), "apiKeyEnv", "NAME of an environment variable");
    assertMessage(defaults().toolChoice("any"), "toolChoice", "'any'", "auto, none, required");
    assertMessage(defaults().textToolCalls("xml"), "textToolCalls", "'xml'", "hermes, json, none");
    assertMessage(defaults().invalidToolArguments("drop"), "invalidToolArguments", "fail, pass");
    assertMessage(defaults().topLogprobs(3).logprobs(false), "topLogprobs", "unless logprobs is true");
    assertMessage(defaults().topLogprobs(21), "topLogprobs", "0..20");
    assertMessage(defaults().n(0), "n", "1..128");
    assertMessage(defaults().backoffBaseMillis(100).backoffMaxMillis(50), "backoffMaxMillis", ">= backoffBaseMillis");
    assertMessage(defaults().requestTimeoutMillis(0), "requestTimeoutMillis", ">= 1");
    assertMessage(defaults().maxRetries(-1), "maxRetries", "0..100");
    assertMessage(defaults().breakerMaxFailures(0), "breakerMaxFailures", ">= 1");
    assertMessage(defaults().breakerOpenMillis(0), "breakerOpenMillis", ">= 1");
    assertMessage(defaults().maxConcurrency(0), "maxConcurrency", ">= 1");
    assertMessage(defaults().cacheSize(-1), "cacheSize", ">= 0");
    assertMessage(defaults().model(" "), "model");
    assertMessage(defaults().stop(List.of("")), "stop", "non-empty strings");
    assertMessage(defaults().apiKeyEnv(null).apiKeyRequired(true), "apiKeyEnv", "apiKeyRequired");
  }

  /** The agent the provider makes for {@code config}, against the mock server, answering {@code reply} once. */
  private static AgentResponse actThroughTheProvider(OpenAiAgentProvider.Config config, MockOpenAiServer server,
      String reply, List<ToolSpec> tools) throws Exception {
    server.setResponder(MockResponder.constant(MockReply.text(reply)));
    try (Agent agent = new OpenAiAgentProvider(name -> null).create(config, null)) {
      return agent.act(OpenAiFixtures.turn("go", tools)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void hermesTextToolCallsBecomeStructuredToolCallsAndTheRestStaysContent() throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.start()) {
      AgentResponse.Reply r = OpenAiFixtures.reply(actThroughTheProvider(
          OpenAiFixtures.config(server).textToolCalls("hermes").build(), server,
          "Let me look.<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}</tool_call>", List.of()));
      assertEquals("Let me look.", r.message().content());
      assertEquals(List.of(ToolCall.of("call_0", "search", "{\"q\":\"x\"}")), r.message().toolCalls());
    }
  }

  @Test
  void unreadableTextToolCallsLeaveTheTextForTheShapersToJudge() throws Exception {
    String text = "<tool_call>{\"name\": \"search\", \"arguments\": {oops}}</tool_call>";
    try (MockOpenAiServer server = MockOpenAiServer.start()) {
      AgentResponse.Reply r = OpenAiFixtures.reply(actThroughTheProvider(
          OpenAiFixtures.config(server).textToolCalls("hermes").build(), server, text, List.of()));
      assertEquals(text, r.message().content());
      assertTrue(r.message().toolCalls().isEmpty());
      AgentResponse.Reply none = OpenAiFixtures.reply(actThroughTheProvider(OpenAiFixtures.config(server).build(),
          server, "<tool_call>{\"name\": \"search\", \"arguments\": {}}</tool_call>", List.of()));
      assertTrue(none.message().toolCalls().isEmpty(), "none reads no calls from text");
    }
  }

  @Test
  void textToolCallsBreakingTheToolsSchemaFailTheTurnOrPassPerInvalidToolArguments() throws Exception {
    List<ToolSpec> tools = List.of(new ToolSpec("search", "",
        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}"));
    String text = "<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": 7}}</tool_call>";
    try (MockOpenAiServer server = MockOpenAiServer.start()) {
      String reason = OpenAiFixtures.reason(actThroughTheProvider(
          OpenAiFixtures.config(server).textToolCalls("hermes").build(), server, text, tools));
      assertEquals("openai/invalid-tool-arguments: text tool call 'search' (id call_0): at /q: integer found, "
          + "string expected", reason);
      assertEquals(java.util.Optional.of(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS), OpenAiFailureKind.of(reason));
      AgentResponse.Reply passed = OpenAiFixtures.reply(actThroughTheProvider(OpenAiFixtures.config(server)
          .textToolCalls("hermes").invalidToolArguments("pass").build(), server, text, tools));
      assertEquals(List.of(ToolCall.of("call_0", "search", "{\"q\":7}")), passed.message().toolCalls());
    }
  }

  private static void assertMessage(OpenAiAgentProvider.Builder b, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().startsWith("openai config: " + parts[0] + " "), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }
}
