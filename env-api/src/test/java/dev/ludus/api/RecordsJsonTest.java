package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records speak the OpenAI chat wire format with nothing but Jackson annotations. */
class RecordsJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void anAssistantToolCallUsesTheOpenAiWireShape() throws Exception {
    Message m = Message.assistant("", List.of(ToolCall.of("c1", "lookup", "{\"id\": 3}")));
    String text = json.writeValueAsString(m);
    assertEquals("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":"
        + "{\"name\":\"lookup\",\"arguments\":\"{\\\"id\\\": 3}\"}}]}", text);
    assertEquals(m, json.readValue(text, Message.class));
  }

  @Test
  void aToolResultCarriesTheIdOfTheCallItAnswers() throws Exception {
    Message m = Message.toolResult("c1", "lookup", "42");
    String text = json.writeValueAsString(m);
    assertTrue(text.contains("\"tool_call_id\":\"c1\""), text);
    assertEquals(m, json.readValue(text, Message.class));
  }

  @Test
  void aToolMessageWithoutItsCallIdIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Message(Role.TOOL, "x", List.of(), null, null));
    assertTrue(e.getMessage().contains("tool_call_id"));
  }

  @Test
  void anUnknownRoleNamesTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.fromWire("robot"));
    assertEquals("unknown role 'robot'; allowed: system, user, assistant, tool", e.getMessage());
  }

  @Test
  void aToolSpecWritesItsSchemaAsJsonAndReadsItBack() throws Exception {
    ToolSpec spec = new ToolSpec("lookup", "find by id",
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"]}");
    String text = json.writeValueAsString(spec);
    assertTrue(text.contains("\"parameters\":{\"type\":\"object\""), text);
    ToolSpec back = json.readValue(text, ToolSpec.class);
    assertEquals(json.readTree(spec.parameters()), json.readTree(back.parameters()));
  }

  @Test
  void signalsAreTypedByKeyAndSerializeAsAnObject() throws Exception {
    Signals s = Signals.builder().put(StandardSignals.CANDIDATE_COUNT, 7).put(StandardSignals.SUCCESS, false).build();
    String text = json.writeValueAsString(s);
    assertEquals("{\"candidate-count\":7,\"success\":false}", text);
    Signals back = json.readValue(text, Signals.class);
    assertEquals(7, back.get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    assertEquals(7.0, back.get(SignalKey.of("candidate-count", Double.class)).orElseThrow());
  }

  @Test
  void aSignalNameMustBeKebabCase() {
    assertThrows(IllegalArgumentException.class, () -> SignalKey.of("Remaining Range", Integer.class));
  }

  @Test
  void aStepRewardMustBeFinite() {
    assertThrows(IllegalArgumentException.class,
        () -> new StepResult(List.of(), Double.NaN, false, false, Signals.empty()));
  }
}
