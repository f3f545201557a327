package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Uniform over the action grammar: each turn it either writes to the user (one of a few replies, one of them a
 * question) or calls one of the offered tools, each with probability 1/(tools + 1); a call's arguments follow the
 * tool's schema (each required one, each optional one half the time), strings drawn from a small fixed vocabulary
 * (or the schema's {@code enum}) and numbers from 0 to 999. Deterministic in the episode seed and turn.
 * Thread-safe.
 */
final class FunctionCallingRandomAgent implements Agent {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> WORDS = List.of("alpha", "notes", "report.txt", "test", "USR001", "CHK-1000",
      "ORB", "SFO", "FL100", "BK001", "CARD-1000", "key", "hello", "data", "misc", "x");
  private static final List<String> REPLIES = List.of("Done.", "OK.", "Could you tell me more about what you need?",
      "Sorry, I can't help with that.");

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    List<ToolSpec> tools = request.tools();
    int choice = r.nextInt(tools.size() + 1);
    if (choice == tools.size()) {
      return CompletableFuture.completedFuture(AgentResponse.reply(
          Message.assistant(REPLIES.get(r.nextInt(REPLIES.size())))));
    }
    ToolSpec spec = tools.get(choice);
    ObjectNode args = arguments(spec, WORDS, r);
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("",
        List.of(ToolCall.of("call_" + request.turn(), spec.name(), StrictJson.canonical(args))))));
  }

  private static ObjectNode arguments(ToolSpec spec, List<String> words, SplittableRandom r) {
    JsonNode schema = StrictJson.tryParse(spec.parameters()).orElse(F.objectNode());
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    ObjectNode args = F.objectNode();
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      if (required.contains(e.getKey()) || r.nextBoolean()) {
        args.set(e.getKey(), value(e.getValue(), words, r));
      }
    }
    return args;
  }

  private static JsonNode value(JsonNode schema, List<String> words, SplittableRandom r) {
    if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
      return schema.get("enum").get(r.nextInt(schema.get("enum").size()));
    }
    return switch (schema.path("type").asText("")) {
      case "integer" -> F.numberNode(r.nextInt(1000));
      case "number" -> F.numberNode(r.nextInt(1000));
      case "boolean" -> F.booleanNode(r.nextBoolean());
      case "array" -> {
        ArrayNode a = F.arrayNode();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          a.add(value(schema.path("items"), words, r));
        }
        yield a;
      }
      case "object" -> F.objectNode();
      default -> F.textNode(words.get(r.nextInt(words.size())));
    };
  }
}
