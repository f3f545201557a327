package dev.ludus.agents.openai;

import static dev.ludus.agents.openai.OpenAiFixtures.KEY;
import static dev.ludus.agents.openai.OpenAiFixtures.ask;
import static dev.ludus.agents.openai.OpenAiFixtures.complete;
import static dev.ludus.agents.openai.OpenAiFixtures.completion;
import static dev.ludus.agents.openai.OpenAiFixtures.endpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.OpenAiFixtures.CapturingLogger;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.ConfigException;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import dev.ludus.api.chat.ToolChoice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A typed request goes out as the OpenAI wire body; a completion comes back typed, every choice of it. */
class ChatClientHappyPathTest {
  @RegisterExtension final MockOpenAi mock = new MockOpenAi();
  private final MockOpenAiServer server = mock.server();
  private OpenAiChatClient client;

  @Test
  void aForcedToolAndExtraFieldsAreWrittenAfterTheTypedFields() {
    client = mock.client(endpoint(server).model("judge-model"));
    ToolSpec score = new ToolSpec("score", "Score the answer",
        "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"integer\"}}}");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("response_format", Map.of("type", "json_object"));
    extra.put("chat_template_kwargs", Map.of("enable_thinking", false));
    ChatRequest request = ask("grade it").withTools(List.of(score), ToolChoice.function("score"))
        .withSampling(Sampling.builder().temperature(0).maxTokens(5).build()).withExtraBody(extra);
    completion(complete(client, request));

    JsonNode body = server.requests().get(0).json();
    assertEquals("judge-model", body.get("model").asText(), "the endpoint's model");
    assertEquals("function", body.at("/tool_choice/type").asText());
    assertEquals("score", body.at("/tool_choice/function/name").asText());
    assertEquals(0.0, body.get("temperature").asDouble());
    assertEquals(5, body.get("max_tokens").asInt());
    assertEquals("json_object", body.at("/response_format/type").asText());
    assertFalse(body.at("/chat_template_kwargs/enable_thinking").asBoolean(true));
    List<String> fields = new java.util.ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("chat_template_kwargs", "response_format"), fields.subList(fields.size() - 2, fields.size()),
        "extra fields last, sorted, so that equal requests are equal bodies: " + fields);
    assertFalse(body.has("logprobs") || body.has("return_token_ids"), "only what the sampling asks for");
  }

  @Test
  void everyChoiceIsDecodedWithItsLogProbsAlternativesAndTokenTrace() {
    server.setResponder(MockResponder.constant(MockReply.text("a b").withTokens(new int[] {4, 5},
        new float[] {-0.25f, -0.5f})));
    client = mock.client(endpoint(server));
    ChatResult.Completion c = completion(complete(client, ask("two").withSampling(Sampling.builder().n(3)
        .logprobs(true).topLogprobs(2).returnTokenIds(true).build())));
    assertEquals(3, c.choices().size());
    for (int k = 0; k < 3; k++) {
      ChatResult.Choice choice = c.choices().get(k);
      assertEquals(k, choice.index());
      assertEquals("a b", choice.message().content());
      assertNotNull(choice.tokens());
      assertArrayEquals(new int[] {4, 5}, choice.tokens().outputIds());
      assertEquals(c.usage().promptTokens(), choice.tokens().promptIds().length);
      assertEquals(2, choice.logProbs().size());
      assertEquals("token_id:4", choice.logProbs().get(0).token());
      assertEquals(-0.25f, choice.logProbs().get(0).logProb());
      assertEquals(2, choice.logProbs().get(0).top().size(), "top_logprobs: 2 alternatives per position");
      assertEquals(-1.25f, choice.logProbs().get(0).top().get(1).logProb());
    }
    assertEquals(6, c.usage().completionTokens(), "2 tokens for each of 3 choices");
  }

  @Test
  void withoutLogProbsAChoiceHasNeitherLogProbsNorATrace() {
    client = mock.client(endpoint(server));
    ChatResult.Choice choice = completion(complete(client, ask("x"))).first();
    assertNull(choice.tokens());
    assertTrue(choice.logProbs().isEmpty());
    assertEquals("stop", choice.finishReason());
  }

  @Test
  void aToolCallWithoutAnIdKeepsAnEmptyIdForTheCallerToName() {
    server.setResponder(MockResponder.constant(MockReply.toolCalls(List.of(ToolCall.of("", "f", "{\"x\":1}")))));
    client = mock.client(endpoint(server));
    ToolCall call = completion(complete(client, ask("call"))).message().toolCalls().get(0);
    assertEquals("", call.id());
    assertEquals("{\"x\":1}", call.arguments());
  }

  @Test
  void theKeyFromTheNamedVariableGoesOutAsBearerAndARequiredKeyMustBeSet() {
    server.setRequiredApiKey(KEY);
    client = mock.client(endpoint(server).apiKeyEnv("JUDGE_KEY"), Map.of("JUDGE_KEY", KEY),
        new CapturingLogger());
    completion(complete(client, ask("hi")));
    assertEquals("Bearer " + KEY, server.requests().get(0).header("authorization"));
    assertFalse(client.toString().contains(KEY.substring(8)));
    ConfigException e = assertThrows(ConfigException.class,
        () -> mock.client(endpoint(server).apiKeyEnv("JUDGE_KEY").apiKeyRequired(true)));
    assertTrue(e.getMessage().contains("JUDGE_KEY"), e.getMessage());
  }
}
