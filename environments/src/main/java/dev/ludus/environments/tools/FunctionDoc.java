package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A function as BFCL's checker sees it: its name and, per parameter, the BFCL type ({@code string},
 * {@code integer}, {@code float}, {@code boolean}, {@code array}, {@code tuple}, {@code dict}, {@code any}), the
 * item type of an array, and the default. Converts between BFCL's function documents ({@code "type": "dict"},
 * {@code "float"}) and the JSON Schema of a {@link ToolSpec} ({@code "object"}, {@code "number"}). Immutable.
 *
 * @param name the function name
 * @param description what it does
 * @param params parameter name to its document, in declaration order
 * @param required the required parameters
 */
record FunctionDoc(String name, String description, Map<String, Param> params, List<String> required) {
  FunctionDoc {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    required = List.copyOf(required);
  }

  /**
   * One parameter.
   *
   * @param type the BFCL type
   * @param itemsType the BFCL type of an array's items, or null
   * @param defaultValue the default, or null when there is none
   */
  record Param(String type, String itemsType, JsonNode defaultValue) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> BFCL_TYPES =
      Set.of("string", "integer", "float", "boolean", "array", "tuple", "dict", "any");

  /** The document of a tool whose parameters are a JSON Schema. */
  static FunctionDoc fromSpec(ToolSpec spec) {
    JsonNode schema = StrictJson.tryParse(spec.parameters()).orElse(F.objectNode());
    Map<String, Param> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      JsonNode p = e.getValue();
      params.put(e.getKey(), new Param(bfclType(p.path("type").asText("")),
          p.has("items") ? bfclType(p.path("items").path("type").asText("")) : null, p.get("default")));
    }
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    return new FunctionDoc(spec.name(), spec.description(), params, required);
  }

  /** The document of a BFCL function entry {@code {"name", "description", "parameters": {"type": "dict", ...}}}. */
  static FunctionDoc fromBfcl(JsonNode function) {
    String name = function.path("name").asText(null);
    if (name == null) {
      throw new IllegalArgumentException("a BFCL function needs a \"name\"");
    }
    Map<String, Param> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : function.path("parameters").path("properties").properties()) {
      JsonNode p = e.getValue();
      String type = p.path("type").asText("any");
      params.put(e.getKey(), new Param(BFCL_TYPES.contains(type) ? type : bfclType(type),
          p.has("items") ? p.path("items").path("type").asText("any") : null, p.get("default")));
    }
    List<String> required = new ArrayList<>();
    function.path("parameters").path("required").forEach(n -> required.add(n.asText()));
    return new FunctionDoc(name, function.path("description").asText(""), params, required);
  }

  /** A JSON Schema type as BFCL names it. */
  static String bfclType(String jsonSchemaType) {
    return switch (jsonSchemaType) {
      case "object", "dict" -> "dict";
      case "number", "float" -> "float";
      case "integer", "string", "boolean", "array", "tuple" -> jsonSchemaType;
      default -> "any";
    };
  }

  /** BFCL's function document (types renamed to BFCL's: dict, float, ...) of a tool with a JSON Schema. */
  static ObjectNode bfclFunction(ToolSpec spec) {
    ObjectNode out = F.objectNode();
    out.put("name", spec.name());
    out.put("description", spec.description());
    JsonNode schema = StrictJson.tryParse(spec.parameters()).orElse(F.objectNode());
    out.set("parameters", toBfcl(schema));
    return out;
  }

  /** The tool spec (JSON Schema) of a BFCL function document. */
  static ToolSpec specOfBfcl(JsonNode function) {
    FunctionDoc doc = fromBfcl(function);
    return new ToolSpec(doc.name(), doc.description(),
        StrictJson.canonical(toJsonSchema(function.path("parameters"))));
  }

  private static JsonNode toBfcl(JsonNode schema) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : schema.properties()) {
      switch (e.getKey()) {
        case "type" -> out.put("type", bfclType(e.getValue().asText()));
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          e.getValue().properties().forEach(p -> props.set(p.getKey(), toBfcl(p.getValue())));
        }
        case "items" -> out.set("items", toBfcl(e.getValue()));
        case "additionalProperties" -> { }
        default -> out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static final Set<String> KEPT = Set.of("description", "enum", "required", "default", "minimum", "maximum",
      "minItems", "maxItems", "minLength", "maxLength", "pattern", "format");

  /**
   * BFCL's parameter document as JSON Schema: {@code dict} → {@code object}, {@code float} → {@code number},
   * {@code tuple} → {@code array}, {@code any} → no type; keywords JSON Schema does not know are dropped.
   */
  static ObjectNode toJsonSchema(JsonNode bfcl) {
    ObjectNode out = F.objectNode();
    if (!bfcl.isObject()) {
      out.put("type", "object");
      return out;
    }
    String type = bfcl.path("type").asText("any");
    switch (type) {
      case "dict", "object" -> out.put("type", "object");
      case "float", "number" -> out.put("type", "number");
      case "tuple", "array" -> out.put("type", "array");
      case "integer", "string", "boolean" -> out.put("type", type);
      default -> { }
    }
    if (bfcl.path("properties").isObject()) {
      ObjectNode props = out.putObject("properties");
      bfcl.get("properties").properties().forEach(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
    }
    if (bfcl.has("items")) {
      out.set("items", toJsonSchema(bfcl.get("items")));
    }
    for (Map.Entry<String, JsonNode> e : bfcl.properties()) {
      if (KEPT.contains(e.getKey())) {
        out.set(e.getKey(), e.getValue());
      }
    }
    if (out.has("required") && !out.get("required").isArray()) {
      out.remove("required"); // some BFCL entries mark a property itself "required": true
    }
    return out;
  }
}
