package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.act;
import static dev.ludus.agents.openai.OpenAiFixtures.config;
import static dev.ludus.agents.openai.OpenAiFixtures.reply;
import static dev.ludus.agents.openai.OpenAiFixtures.turn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.OpenAiFixtures.CapturingLogger;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.agents.openai.mock.RecordedRequest;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiAgentHappyPathTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiAgent agent;

  @Test
  void replyCarriesContentFinishReasonAndUsage() {
    agent = mock.agent(config(server).build());
    AgentResponse.Reply r = reply(act(agent, turn("hello there")));
    assertEquals(Role.ASSISTANT, r.message().role());
    assertEquals("echo: hello there", r.message().content());
    assertEquals("stop", r.finishReason());
    assertNotNull(r.usage());
    assertTrue(r.usage().promptTokens() > 0, "prompt tokens " + r.usage());
    assertEquals(3, r.usage().completionTokens(), "'echo:', ' hello', ' there'");
    assertEquals(1, server.requestCount());
  }

  @Test
  void requestCarriesModelMessagesToolsAndSamplingParameters() {
    agent = mock.agent(config(server).temperature(0.7).topP(0.9).maxTokens(77).stop(List.of("</answer>")).seed(42L)
        .topLogprobs(3).toolChoice("required").cacheSize(0).build());
    ToolSpec weather = new ToolSpec("get_weather", "Weather in a city",
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    AgentRequest req = new AgentRequest("ep", Task.generated("t", 1), 1, 2, List.of(
        Message.system("sys"),
        Message.user("weather in Paris?"),
        Message.assistant("", List.of(ToolCall.of("call_9", "get_weather", "{\"city\":\"Paris\"}"))),
        Message.toolResult("call_9", "get_weather", "sunny")), List.of(weather));
    reply(act(agent, req));

    JsonNode body = server.requests().get(0).json();
    assertEquals("mock-model", body.get("model").asText());
    JsonNode messages = body.get("messages");
    assertEquals(4, messages.size());
    assertEquals("system", messages.get(0).get("role").asText());
    assertEquals("weather in Paris?", messages.get(1).get("content").asText());
    JsonNode call = messages.get(2).get("tool_calls").get(0);
    assertEquals("call_9", call.get("id").asText());
    assertEquals("function", call.get("type").asText());
    assertEquals("get_weather", call.get("function").get("name").asText());
    assertEquals("{\"city\":\"Paris\"}", call.get("function").get("arguments").asText());
    assertEquals("tool", messages.get(3).get("role").asText());
    assertEquals("call_9", messages.get(3).get("tool_call_id").asText());
    assertEquals("sunny", messages.get(3).get("content").asText());

    JsonNode tool = body.get("tools").get(0);
    assertEquals("function", tool.get("type").asText());
    assertEquals("get_weather", tool.get("function").get("name").asText());
    assertEquals("Weather in a city", tool.get("function").get("description").asText());
    assertTrue(tool.get("function").get("parameters").isObject(), "parameters sent as a JSON object");
    assertEquals("string", tool.get("function").get("parameters").at("/properties/city/type").asText());
    assertEquals("required", body.get("tool_choice").asText());

    assertEquals(0.7, body.get("temperature").asDouble());
    assertEquals(0.9, body.get("top_p").asDouble());
    assertEquals(77, body.get("max_tokens").asInt());
    assertEquals("</answer>", body.get("stop").get(0).asText());
    assertEquals(42, body.get("seed").asLong());
    assertEquals(1, body.get("n").asInt());
    assertTrue(body.get("logprobs").asBoolean());
    assertEquals(3, body.get("top_logprobs").asInt());
    assertFalse(body.has("return_token_ids"), "vLLM extensions only when asked");
    assertEquals("application/json", server.requests().get(0).header("Content-Type"));
  }

  @Test
  void toolChoiceIsLeftOutWhenTheTurnOffersNoTools() {
    agent = mock.agent(config(server).build());
    reply(act(agent, turn("hi")));
    JsonNode body = server.requests().get(0).json();
    assertFalse(body.has("tools"));
    assertFalse(body.has("tool_choice"));
    assertFalse(body.has("seed"), "no seed configured");
  }

  @Test
  void toolCallsAreParsedIntoToolCallRecords() {
    List<ToolCall> calls = List.of(ToolCall.of("call_1", "get_weather", "{\"city\":\"Paris\"}"),
        ToolCall.of("call_2", "get_time", "{\"tz\":\"CET\"}"));
    server.setResponder(MockResponder.constant(MockReply.toolCalls(calls)));
    agent = mock.agent(config(server).build());
    AgentResponse.Reply r = reply(act(agent, turn("weather and time?")));
    assertEquals(calls, r.message().toolCalls());
    assertEquals("", r.message().content(), "content null on the wire becomes empty");
    assertEquals("tool_calls", r.finishReason());
  }

  @Test
  void toolCallsTheServerSentWithoutAnIdAreNamedForTheTurnAndPosition() {
    server.setResponder(MockResponder.constant(MockReply.toolCalls(List.of(ToolCall.of("call_a", "f", "{}"),
        ToolCall.of("", "g", "{}")))));
    agent = mock.agent(config(server).build());
    AgentRequest third = new AgentRequest("ep", Task.generated("t", 1), 1, 3, List.of(Message.user("go")), List.of());
    List<ToolCall> calls = reply(act(agent, third)).message().toolCalls();
    assertEquals("call_a", calls.get(0).id(), "an id the server gave is kept");
    assertEquals("call_3_1", calls.get(1).id());
  }

  @Test
  void textToolCallsAreReadOnlyWhenTheServerParsedNone() {
    server.setResponder(MockResponder.constant(MockReply.text("left <tool_call>{\"name\": \"f\", \"arguments\": {}}"
        + "</tool_call>")));
    try (Agent wrapped = new OpenAiAgentProvider(Map.<String, String>of()::get)
        .create(config(server).textToolCalls("hermes").build(), null)) {
      AgentResponse.Reply fromText = reply(act(wrapped, turn("go")));
      assertEquals("f", fromText.message().toolCalls().get(0).name(), "the provider's agent reads hermes text calls");
      assertEquals("left", fromText.message().content().strip());
      server.setResponder(MockResponder.constant(MockReply.toolCalls(List.of(ToolCall.of("c9", "native", "{}")))));
      assertEquals(List.of(ToolCall.of("c9", "native", "{}")), reply(act(wrapped, turn("x"))).message().toolCalls(),
          "structured calls from the server win; the text is not parsed");
    }
    agent = mock.agent(config(server).textToolCalls("hermes").build());
    server.setResponder(MockResponder.constant(MockReply.text("<tool_call>{\"name\": \"f\", \"arguments\": {}}"
        + "</tool_call>")));
    assertTrue(reply(act(agent, turn("y"))).message().toolCalls().isEmpty(),
        "the bare agent reads no text calls: the provider's wrapper does");
  }

  @Test
  void tokenIdsAndLogProbsBecomeATokenTraceWhenTheServerGivesThem() {
    int[] ids = {11, 22, 33};
    float[] lps = {-0.5f, -1.25f, -0.125f};
    server.setResponder(MockResponder.constant(MockReply.text("a b c").withTokens(ids, lps)));
    agent = mock.agent(config(server).returnTokenIds(true).build());
    AgentResponse.Reply r = reply(act(agent, turn("count")));
    TokenTrace trace = r.tokens();
    assertNotNull(trace, "vLLM gave token ids, so the reply has a trace");
    assertArrayEquals(ids, trace.outputIds());
    assertArrayEquals(lps, trace.logProbs());
    assertEquals(-1, trace.policyVersion());

    RecordedRequest sent = server.requests().get(0);
    assertTrue(sent.json().get("return_token_ids").asBoolean());
    assertTrue(sent.json().get("return_tokens_as_token_ids").asBoolean());
    assertEquals(r.usage().promptTokens(), trace.promptIds().length, "prompt ids as the server counted them");
    assertEquals(0, agent.stats().repliesWithoutTokenTrace());
  }

  @Test
  void withoutTokenIdsTheTraceIsNullCountedAndWarnedOnce() {
    CapturingLogger log = new CapturingLogger();
    agent = mock.agent(config(server).build(), Map.of(), log);
    AgentResponse.Reply first = reply(act(agent, turn("one")));
    AgentResponse.Reply second = reply(act(agent, turn("two")));
    assertNull(first.tokens(), "log-probs alone are not a trace: no token ids");
    assertNull(second.tokens());
    assertTrue(server.requests().get(0).json().get("logprobs").asBoolean(), "log-probs were asked for");
    assertEquals(2, agent.stats().repliesWithoutTokenTrace());
    long warnings = log.lines().stream().filter(l -> l.startsWith("WARN") && l.contains("no token ids")).count();
    assertEquals(1, warnings, log.lines().toString());
  }

  @Test
  void pathWithoutV1PrefixIsServedToo() {
    agent = mock.agent(config(server).baseUrl("http://127.0.0.1:" + server.port()).build());
    assertEquals("echo: x", reply(act(agent, turn("x"))).message().content());
    assertEquals("/chat/completions", server.requests().get(0).path());
  }
}
