package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.Sampling;
import dev.ludus.api.chat.ToolChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the body of {@code POST /chat/completions} for one {@link ChatRequest}, streaming it with Jackson
 * (messages are the env-api {@link Message} records, which already have the wire shape). The output is
 * deterministic (fixed field order, extra fields sorted, no timestamps), so identical requests give identical
 * text, which the cache uses as its key. Stateless and thread-safe.
 */
final class ChatRequestEncoder {
  /**
   * Each role's wire name, encoded once: {@link Role#wireName()} makes a new lower-case string per call, which was
   * 3.6% of the JVM's samples in {@code bench llm-users} (up to eight messages a request).
   */
  private static final SerializedString[] ROLES = java.util.Arrays.stream(Role.values())
      .map(r -> new SerializedString(r.wireName())).toArray(SerializedString[]::new);
  private static final SerializedString ROLE = new SerializedString("role");
  private static final SerializedString CONTENT = new SerializedString("content");

  private final ObjectMapper json;
  private final String model;

  ChatRequestEncoder(ObjectMapper json, String model) {
    this.json = json;
    this.model = model;
  }

  /** The request body as text; throws {@link IllegalArgumentException} when the request cannot be sent as is. */
  String encode(ChatRequest request) {
    return new String(encodeUtf8(request), StandardCharsets.UTF_8);
  }

  /**
   * The request body in UTF-8, written straight to bytes (no text in between); throws {@link
   * IllegalArgumentException} when the request cannot be sent as is.
   */
  byte[] encodeUtf8(ChatRequest request) {
    // parse the tool schemas first, so that a bad one fails before anything is written
    JsonNode[] schemas = new JsonNode[request.tools().size()];
    for (int i = 0; i < schemas.length; i++) {
      schemas[i] = parameters(request.tools().get(i));
    }
    Sampling s = request.sampling();
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("messages");
      for (Message m : request.messages()) {
        if (m.content().isEmpty()) {
          writeWithEmptyContent(g, m);
        } else if (m.toolCalls().isEmpty() && m.toolCallId() == null && m.name() == null) {
          // the usual message, as Message's own serializer writes it, without the databind lookup
          g.writeStartObject();
          g.writeFieldName(ROLE);
          g.writeString(ROLES[m.role().ordinal()]);
          g.writeFieldName(CONTENT);
          g.writeString(m.content());
          g.writeEndObject();
        } else {
          g.writeObject(m);
        }
      }
      g.writeEndArray();
      if (schemas.length > 0) {
        g.writeArrayFieldStart("tools");
        for (int i = 0; i < schemas.length; i++) {
          ToolSpec t = request.tools().get(i);
          g.writeStartObject();
          g.writeStringField("type", "function");
          g.writeObjectFieldStart("function");
          g.writeStringField("name", t.name());
          g.writeStringField("description", t.description());
          g.writeFieldName("parameters");
          g.writeTree(schemas[i]);
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
        writeToolChoice(g, request.toolChoice());
      }
      g.writeNumberField("temperature", s.temperature());
      g.writeNumberField("top_p", s.topP());
      g.writeNumberField("max_tokens", s.maxTokens());
      if (!s.stop().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String stop : s.stop()) {
          g.writeString(stop);
        }
        g.writeEndArray();
      }
      if (s.seed() != null) {
        g.writeNumberField("seed", s.seed());
      }
      g.writeNumberField("n", s.n());
      if (s.logprobs()) {
        g.writeBooleanField("logprobs", true);
        if (s.topLogprobs() > 0) {
          g.writeNumberField("top_logprobs", s.topLogprobs());
        }
      }
      if (s.returnTokenIds()) {
        g.writeBooleanField("return_token_ids", true);
        if (s.logprobs()) {
          g.writeBooleanField("return_tokens_as_token_ids", true);
        }
      }
      for (Map.Entry<String, Object> e : request.extraBody().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeObject(e.getValue());
      }
      g.writeEndObject();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeToolChoice(JsonGenerator g, ToolChoice choice) throws IOException {
    if (choice.mode() == ToolChoice.Mode.FUNCTION) {
      g.writeObjectFieldStart("tool_choice");
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", choice.function());
      g.writeEndObject();
      g.writeEndObject();
    } else {
      g.writeStringField("tool_choice", choice.mode().name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * A message whose content is empty. {@link Message} leaves empty content out, but servers require it on
   * every message except an assistant turn that only calls tools.
   */
  private static void writeWithEmptyContent(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", m.role().wireName());
    if (m.role() != Role.ASSISTANT || m.toolCalls().isEmpty()) {
      g.writeStringField("content", "");
    }
    if (!m.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall call : m.toolCalls()) {
        g.writeObject(call);
      }
      g.writeEndArray();
    }
    if (m.toolCallId() != null && !m.toolCallId().isEmpty()) {
      g.writeStringField("tool_call_id", m.toolCallId());
    }
    if (m.name() != null && !m.name().isEmpty()) {
      g.writeStringField("name", m.name());
    }
    g.writeEndObject();
  }

  private JsonNode parameters(ToolSpec t) {
    JsonNode schema;
    try {
      schema = json.readTree(t.parameters());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "tool '" + t.name() + "' has parameters that are not valid JSON: " + e.getOriginalMessage());
    }
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException("tool '" + t.name() + "' has parameters that are not a JSON Schema object");
    }
    return schema;
  }
}
