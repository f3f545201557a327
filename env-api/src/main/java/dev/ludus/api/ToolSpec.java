package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.Objects;

/**
 * A tool the agent may call: a name, what it does, and its parameters as a JSON Schema document.
 * Immutable and thread-safe.
 *
 * @param name the function name, as the agent must write it
 * @param description what the tool does, for the model
 * @param parameters the JSON Schema of the arguments object, as JSON text (written raw)
 */
public record ToolSpec(String name, String description, @JsonRawValue String parameters) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    parameters = parameters == null || parameters.isBlank() ? "{\"type\":\"object\",\"properties\":{}}" : parameters;
  }

  /** Reads the wire form, where {@code parameters} is a JSON object (or, leniently, its text). */
  @JsonCreator
  static ToolSpec fromJson(@JsonProperty("name") String name, @JsonProperty("description") String description,
      @JsonProperty("parameters") Object parameters) {
    return new ToolSpec(name, description,
        parameters == null ? null : parameters instanceof String s ? s : JsonText.write(parameters));
  }
}
