package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;

/**
 * Builds the JSON Schema of a sandbox method's arguments: an object whose properties are typed and bounded
 * (string lengths and patterns, numeric ranges, array sizes), with {@code additionalProperties: false}, so that
 * the validator refuses unexpected arguments and inputs too big to be worth running. Not thread-safe.
 */
final class Params {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Names of files, folders, keys: one path component, no spaces. */
  static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

  private final ObjectNode properties = F.objectNode();
  private final ArrayNode required = F.arrayNode();

  static Params none() {
    return new Params();
  }

  static Params of() {
    return new Params();
  }

  Params string(String name, String description, boolean isRequired, int maxLength) {
    ObjectNode p = prop(name, "string", description, isRequired);
    p.put("minLength", 1).put("maxLength", maxLength);
    return this;
  }

  Params name(String name, String description, boolean isRequired) {
    ObjectNode p = prop(name, "string", description, isRequired);
    p.put("pattern", NAME_PATTERN);
    return this;
  }

  Params pattern(String name, String description, boolean isRequired, String pattern) {
    prop(name, "string", description, isRequired).put("pattern", pattern);
    return this;
  }

  Params choice(String name, String description, boolean isRequired, String... values) {
    ObjectNode p = prop(name, "string", description, isRequired);
    ArrayNode e = p.putArray("enum");
    for (String v : values) {
      e.add(v);
    }
    return this;
  }

  Params integer(String name, String description, boolean isRequired, long min, long max) {
    prop(name, "integer", description, isRequired).put("minimum", min).put("maximum", max);
    return this;
  }

  Params number(String name, String description, boolean isRequired, double min, double max) {
    prop(name, "number", description, isRequired).put("minimum", min).put("maximum", max);
    return this;
  }

  Params bool(String name, String description, boolean defaultValue) {
    prop(name, "boolean", description, false).put("default", defaultValue);
    return this;
  }

  Params numbers(String name, String description, int maxItems, double min, double max) {
    ObjectNode p = prop(name, "array", description, true);
    p.put("minItems", 1).put("maxItems", maxItems);
    p.putObject("items").put("type", "number").put("minimum", min).put("maximum", max);
    return this;
  }

  /** Gives the property {@code name} a default value, shown to the agent and used when it is left out. */
  Params withDefault(String name, JsonNode value) {
    ((ObjectNode) properties.get(name)).set("default", value);
    return this;
  }

  private ObjectNode prop(String name, String type, String description, boolean isRequired) {
    if (properties.has(name)) {
      throw new IllegalArgumentException("parameter '" + name + "' is declared twice");
    }
    ObjectNode p = properties.putObject(name);
    p.put("type", type).put("description", description);
    if (isRequired) {
      required.add(name);
    }
    return p;
  }

  /** The schema as JSON text, deterministic. */
  String json() {
    ObjectNode schema = F.objectNode();
    schema.put("type", "object");
    schema.set("properties", properties);
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return StrictJson.canonical(schema);
  }
}
