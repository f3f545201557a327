package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Task;
import dev.ludus.api.tools.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a {@code function-calling} task, and reading rows of JSON files (a JSON array, or JSON Lines as
 * BFCL writes its {@code .json} files). Stateless.
 */
final class TaskFields {
  private TaskFields() {}

  /** The dataset format of a loaded task ({@code bfcl}, {@code xlam}, {@code toolrl}); absent when generated. */
  static final String FORMAT = "format";
  /** The category (a {@link Category} wire name, or the dataset's). */
  static final String CATEGORY = "category";
  /** The gold calls of the agent's first message, as the {@code tool-call} shaper reads them. */
  static final String GOLD_CALLS = "gold_calls";
  /** The gold calls of each agent message of the oracle's play, for the {@code tool-call} shaper's perTurn. */
  static final String GOLD_CALLS_PER_TURN = "gold_calls_per_turn";

  /** The field {@code name} of {@code task}, failing with a message naming the task and the field. */
  static String require(Task task, String name) {
    String v = task.fields().get(name);
    if (v == null) {
      throw new IllegalArgumentException("task '" + task.id() + "' has no field '" + name + "'");
    }
    return v;
  }

  /** The field {@code name} of {@code task} as JSON. */
  static JsonNode json(Task task, String name) {
    try {
      return StrictJson.parse(require(task, name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("task '" + task.id() + "', field '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * The rows of {@code file}: the elements of a top-level JSON array, or one JSON value per non-blank line.
   *
   * @throws IllegalArgumentException naming the file and line of a row that is not JSON
   */
  static List<JsonNode> rows(Path file) throws IOException {
    String text = Files.readString(file);
    String trimmed = text.strip();
    List<JsonNode> out = new ArrayList<>();
    if (trimmed.startsWith("[")) {
      JsonNode all;
      try {
        all = StrictJson.parse(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " is not a JSON array: " + e.getMessage(), e);
      }
      all.forEach(out::add);
      return out;
    }
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        out.add(StrictJson.parse(lines[i]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ", line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
