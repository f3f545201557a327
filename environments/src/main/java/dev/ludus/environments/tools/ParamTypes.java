package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import java.util.Locale;
import java.util.Map;

/**
 * The flat parameter lists of xLAM and ToolRL tools ({@code {"p": {"type": "str", "description": ...,
 * "default": ...}}}) as JSON Schema, and back. Types: {@code str}/{@code string} → string, {@code int} → integer,
 * {@code float} → number, {@code bool} → boolean, {@code list}/{@code List[...]}/{@code tuple} → array,
 * {@code dict} → object, anything else → no type; {@code Optional[...]} or {@code ", optional"} marks the
 * parameter optional. Stateless.
 */
final class ParamTypes {
  private ParamTypes() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The JSON Schema type of a Python-ish type name, or null for none. */
  static String jsonType(String type) {
    String t = type.toLowerCase(Locale.ROOT).replace(", optional", "").trim();
    if (t.startsWith("optional[") && t.endsWith("]")) {
      t = t.substring(9, t.length() - 1).trim();
    }
    if (t.equals("str") || t.equals("string")) {
      return "string";
    }
    if (t.equals("int") || t.equals("integer")) {
      return "integer";
    }
    if (t.equals("float") || t.equals("number") || t.equals("double")) {
      return "number";
    }
    if (t.equals("bool") || t.equals("boolean")) {
      return "boolean";
    }
    if (t.startsWith("list") || t.startsWith("array") || t.startsWith("tuple") || t.startsWith("set")) {
      return "array";
    }
    if (t.startsWith("dict") || t.equals("object")) {
      return "object";
    }
    return null;
  }

  /** Whether the type name marks the parameter optional. */
  static boolean optional(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return t.contains("optional");
  }

  /**
   * A tool spec from a flat parameter list.
   *
   * @param requiredUnlessDefault xLAM's rule (a parameter without a default is required); false makes every
   *     parameter optional (ToolRL, whose lists say nothing reliable about it)
   */
  static ToolSpec spec(String name, String description, JsonNode params, boolean requiredUnlessDefault) {
    ObjectNode schema = F.objectNode();
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ArrayNode required = F.arrayNode();
    if (params != null && params.isObject()) {
      for (Map.Entry<String, JsonNode> e : params.properties()) {
        JsonNode p = e.getValue();
        ObjectNode out = props.putObject(e.getKey());
        String type = p.path("type").asText("");
        String json = jsonType(type);
        if (json != null) {
          out.put("type", json);
        }
        if (p.has("description")) {
          out.put("description", p.get("description").asText());
        }
        if (p.has("default") && !(p.get("default").isTextual() && p.get("default").asText().isEmpty())) {
          out.set("default", p.get("default"));
        }
        if (requiredUnlessDefault && !p.has("default") && !optional(type)) {
          required.add(e.getKey());
        }
      }
    }
    schema.set("required", required);
    return new ToolSpec(name, description, StrictJson.canonical(schema));
  }

  /** The flat parameter list of a spec ({@code {"p": {"type": "str", "description": ...}}}), xLAM's shape. */
  static ObjectNode flat(ToolSpec spec) {
    ObjectNode out = F.objectNode();
    JsonNode schema = StrictJson.tryParse(spec.parameters()).orElse(F.objectNode());
    java.util.Set<String> required = new java.util.HashSet<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      JsonNode p = e.getValue();
      ObjectNode o = out.putObject(e.getKey());
      o.put("description", p.path("description").asText(""));
      String type = switch (p.path("type").asText("")) {
        case "string" -> "str";
        case "integer" -> "int";
        case "number" -> "float";
        case "boolean" -> "bool";
        case "array" -> "list";
        case "object" -> "dict";
        default -> "any";
      };
      o.put("type", required.contains(e.getKey()) ? type : type + ", optional");
      if (p.has("default")) {
        o.set("default", p.get("default"));
      } else if (!required.contains(e.getKey())) {
        o.put("default", "");
      }
    }
    return out;
  }
}
