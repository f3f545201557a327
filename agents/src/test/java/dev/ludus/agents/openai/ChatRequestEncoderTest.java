package dev.ludus.agents.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.chat.ChatRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request body's messages are exactly the {@link Message} records' own JSON, written fast or not. */
class ChatRequestEncoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyKindOfMessageIsWrittenAsItsOwnSerializerWritesIt() throws Exception {
    List<Message> messages = List.of(Message.system("Be \"terse\".\n"), Message.user("héllo ✓"),
        Message.assistant("", List.of(ToolCall.of("c1", "f", "{\"a\":1}"))), Message.toolResult("c1", "f", "42"),
        Message.assistant("done"), Message.user(""));
    JsonNode body = JSON.readTree(new ChatRequestEncoder(JSON, "m").encode(ChatRequest.of(messages)));
    for (int i = 0; i < messages.size(); i++) {
      JsonNode expected = JSON.valueToTree(messages.get(i));
      if (messages.get(i).content().isEmpty() && messages.get(i).toolCalls().isEmpty()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("content", ""); // servers require it
      }
      assertEquals(expected, body.get("messages").get(i), "message " + i);
    }
    assertEquals("m", body.get("model").asText());
  }
}
