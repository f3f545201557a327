package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.agents.openai.mock.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted user model for the mock server: each role (recognised by a phrase of its system prompt) answers from
 * its own list of replies, in order, repeating the last; what each role was asked is kept. Thread-safe.
 */
final class ScriptedModel implements MockResponder {
  private final Map<String, List<String>> scripts = new LinkedHashMap<>();
  private final Map<String, Integer> next = new LinkedHashMap<>();
  private final Map<String, List<JsonNode>> asked = new LinkedHashMap<>();

  /** Requests whose system prompt contains {@code phrase} get {@code replies}, in order. */
  synchronized ScriptedModel role(String phrase, String... replies) {
    scripts.put(phrase, List.of(replies));
    next.put(phrase, 0);
    asked.put(phrase, new ArrayList<>());
    return this;
  }

  @Override
  public synchronized MockReply respond(RecordedRequest request) {
    String system = request.json().path("messages").path(0).path("content").asText("");
    for (Map.Entry<String, List<String>> e : scripts.entrySet()) {
      if (system.contains(e.getKey())) {
        int i = next.get(e.getKey());
        next.put(e.getKey(), i + 1);
        asked.get(e.getKey()).add(request.json());
        return MockReply.text(e.getValue().get(Math.min(i, e.getValue().size() - 1)));
      }
    }
    throw new IllegalStateException("no scripted role for the system prompt: " + system);
  }

  /** The request bodies the role of {@code phrase} received, in order. */
  synchronized List<JsonNode> asked(String phrase) {
    return List.copyOf(asked.get(phrase));
  }
}
