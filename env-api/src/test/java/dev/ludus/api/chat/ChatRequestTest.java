package dev.ludus.api.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
  private static final List<Message> HI = List.of(Message.user("hi"));

  @Test
  void defaultsAreAutoToolChoiceDefaultSamplingAndNoExtraFields() {
    ChatRequest r = ChatRequest.of(HI);
    assertEquals(ToolChoice.AUTO, r.toolChoice());
    assertEquals(Sampling.defaults(), r.sampling());
    assertTrue(r.extraBody().isEmpty() && r.tools().isEmpty());
  }

  @Test
  void anEmptyConversationIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatRequest.of(List.of()));
    assertTrue(e.getMessage().contains("messages"), e.getMessage());
  }

  @Test
  void extraBodyCannotSetATypedField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChatRequest.of(HI).withExtraBody(Map.of("temperature", 0)));
    assertTrue(e.getMessage().contains("'temperature'") && e.getMessage().contains("sampling"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ChatRequest.of(HI).withExtraBody(Map.of("stream", true)));
    assertTrue(e.getMessage().contains("streaming is not supported"), e.getMessage());
  }

  @Test
  void extraBodyTakesPlainJsonValuesOnlyAndNamesThePathOfABadOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatRequest.of(HI)
        .withExtraBody(Map.of("response_format", Map.of("schema", List.of(1, new Object())))));
    assertTrue(e.getMessage().contains("extraBody.response_format.schema[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ChatRequest.of(HI).withExtraBody(Map.of("x", Double.NaN)));
    assertTrue(e.getMessage().contains("extraBody.x"), e.getMessage());
  }

  @Test
  void extraBodyIsADeepSortedCopyThatTheCallerCannotChangeAfterwards() {
    List<Object> list = new ArrayList<>(List.of("a"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("z", 1);
    body.put("a", list);
    ChatRequest r = ChatRequest.of(HI).withExtraBody(body);
    list.add("b");
    body.put("m", 2);
    assertEquals(List.of("a", "z"), List.copyOf(r.extraBody().keySet()), "sorted by key");
    assertEquals(List.of("a"), r.extraBody().get("a"));
    assertThrows(UnsupportedOperationException.class, () -> r.extraBody().put("q", 1));
    Map<String, Object> reordered = new LinkedHashMap<>();
    reordered.put("a", List.of("a"));
    reordered.put("z", 1);
    assertEquals(r, ChatRequest.of(HI).withExtraBody(reordered), "the same fields in another order are equal");
  }

  @Test
  void aForcedToolMustBeOneOfTheToolsOffered() {
    ToolSpec search = new ToolSpec("search", "", null);
    ChatRequest ok = ChatRequest.of(HI).withTools(List.of(search), ToolChoice.function("search"));
    assertEquals("search", ok.toolChoice().function());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChatRequest.of(HI).withTools(List.of(search), ToolChoice.function("lookup")));
    assertTrue(e.getMessage().contains("'lookup'") && e.getMessage().contains("[search]"), e.getMessage());
  }

  @Test
  void toolChoiceReadsTheWireNamesAndRefusesOthers() {
    assertEquals(ToolChoice.REQUIRED, ToolChoice.of("required"));
    assertEquals(ToolChoice.NONE, ToolChoice.of("none"));
    assertThrows(IllegalArgumentException.class, () -> ToolChoice.of("any"));
    assertThrows(IllegalArgumentException.class, () -> new ToolChoice(ToolChoice.Mode.AUTO, "f"));
  }

  @Test
  void samplingRejectsBadValuesNamingTheFieldAndKnowsWhenItIsDeterministic() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.builder().topLogprobs(2).build());
    assertTrue(e.getMessage().startsWith("sampling: topLogprobs ") && e.getMessage().contains("logprobs"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampling.builder().temperature(2.5).build());
    assertThrows(IllegalArgumentException.class, () -> Sampling.builder().stop(List.of("")).build());
    assertTrue(Sampling.greedy(3).deterministic());
    assertFalse(Sampling.builder().temperature(0).build().deterministic(), "no seed");
    assertFalse(Sampling.builder().seed(3L).build().deterministic(), "temperature 1");
  }
}
