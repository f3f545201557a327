package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolSpec;

/**
 * Writes the body of {@code POST /chat/completions} for one turn. The output is deterministic (fixed field
 * order, no timestamps), so identical turns give identical text, which the reply cache uses as its key.
 * Stateless and thread-safe.
 */
final class ChatRequestEncoder {
  private final ObjectMapper json;
  private final OpenAiAgentProvider.Config config;

  ChatRequestEncoder(ObjectMapper json, OpenAiAgentProvider.Config config) {
    this.json = json;
    this.config = config;
  }

  /** The request body; throws {@link IllegalArgumentException} when the turn cannot be sent as is. */
  String encode(AgentRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("model", config.model());
    ArrayNode messages = body.putArray("messages");
    for (Message m : request.conversation()) {
      ObjectNode o = json.valueToTree(m);
      // Message leaves out empty content; servers require it except on an assistant turn that calls tools.
      if (!o.has("content") && (m.role() != Role.ASSISTANT || m.toolCalls().isEmpty())) {
        o.put("content", "");
      }
      messages.add(o);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec t : request.tools()) {
        ObjectNode f = tools.addObject().put("type", "function").putObject("function");
        f.put("name", t.name());
        f.put("description", t.description());
        f.set("parameters", parameters(t));
      }
      body.put("tool_choice", config.toolChoice());
    }
    body.put("temperature", config.temperature());
    body.put("top_p", config.topP());
    body.put("max_tokens", config.maxTokens());
    if (!config.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      config.stop().forEach(stop::add);
    }
    if (config.seed() != null) {
      body.put("seed", config.seed());
    }
    body.put("n", config.n());
    if (config.logprobs()) {
      body.put("logprobs", true);
      if (config.topLogprobs() > 0) {
        body.put("top_logprobs", config.topLogprobs());
      }
    }
    if (config.returnTokenIds()) {
      body.put("return_token_ids", true);
      if (config.logprobs()) {
        body.put("return_tokens_as_token_ids", true);
      }
    }
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
    }
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
