package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a reset ({@code data} of a {@code reset} message, the body of {@code POST /reset}, a label of
 * {@code /get_reward}): {@code seed} (the episode's seed, and the index of its task), {@code task_index} (the task
 * to play: the environment's task source at that index), {@code task} ({@code {id, seed, fields}}: a task given
 * whole) and {@code episode_id}. All optional; without a seed or task index, each reset plays the server's next
 * task. Other fields are ignored, as OpenEnv drops keyword arguments its environment's reset does not take.
 */
record ResetArgs(Long seed, Long taskIndex, Task task, String episodeId) {
  static final List<String> FIELDS = List.of("seed", "task_index", "task", "episode_id");

  static ResetArgs parse(JsonNode data, Served served) {
    if (data == null || data.isNull() || data.isMissingNode()) {
      return new ResetArgs(null, null, null, null);
    }
    if (!data.isObject()) {
      throw WireError.invalid("reset data must be an object of reset fields (" + String.join(", ", FIELDS) + "), not "
          + data.getNodeType().name().toLowerCase(java.util.Locale.ROOT), List.of("data"), "dict_type");
    }
    Long seed = integer(data, "seed");
    Long index = integer(data, "task_index");
    if (index != null && index < 0) {
      throw WireError.invalid("task_index must be 0 or more, was " + index, List.of("data", "task_index"),
          "greater_than_equal");
    }
    String episodeId = null;
    JsonNode id = data.get("episode_id");
    if (id != null && !id.isNull()) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw WireError.invalid("episode_id must be a non-empty string", List.of("data", "episode_id"), "string_type");
      }
      episodeId = id.asText();
    }
    Task task = null;
    JsonNode t = data.get("task");
    if (t != null && !t.isNull()) {
      if (!t.isObject() || !t.path("id").isTextual()) {
        throw WireError.invalid("task must be an object {id: string, seed: integer, fields: {name: string}}",
            List.of("data", "task"), "model_type");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      JsonNode f = t.path("fields");
      if (!f.isMissingNode() && !f.isObject()) {
        throw WireError.invalid("task.fields must be an object of strings", List.of("data", "task", "fields"),
            "dict_type");
      }
      f.properties().forEach(e -> fields.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
          : e.getValue().toString()));
      task = new Task(t.get("id").asText(), t.path("seed").asLong(seed == null ? 0 : seed), fields);
    }
    return new ResetArgs(seed, index, task, episodeId);
  }

  private static Long integer(JsonNode data, String field) {
    JsonNode v = data.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw WireError.invalid(field + " must be an integer, was " + v, List.of("data", field), "int_type");
    }
    return v.asLong();
  }
}
