package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The key-value memory's state, after BFCL's {@code MemoryAPI} (key-value variant): entries by key. Immutable.
 *
 * @param entries key to value
 */
public record MemoryState(SortedMap<String, String> entries) implements SandboxState {
  public MemoryState {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  @Override
  public String sandbox() {
    return MemorySandbox.NAME;
  }

  @Override
  public JsonNode toJson() {
    return publicJson();
  }

  @Override
  public JsonNode publicJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode e = out.putObject("entries");
    entries.forEach(e::put);
    return out;
  }

  static MemoryState fromJson(JsonNode json) {
    TreeMap<String, String> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : json.path("entries").properties()) {
      m.put(e.getKey(), e.getValue().asText());
    }
    return new MemoryState(m);
  }
}
