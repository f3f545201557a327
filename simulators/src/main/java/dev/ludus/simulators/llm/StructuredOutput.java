package dev.ludus.simulators.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON a simulated user's model must answer with for a state update, and the strict reading of a reply against
 * it: the reply is the JSON object alone, or inside one {@code ```json} fence, or the one object between the reply's
 * first <code>{</code> and last <code>}</code>; it must parse (no duplicate keys, nothing after the object) and
 * validate against the JSON Schema (draft 2020-12, via networknt). Immutable and thread-safe.
 */
public final class StructuredOutput {
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .pathType(PathType.JSON_POINTER).locale(Locale.ENGLISH).build();

  private final String name;
  private final String schemaText;
  private final JsonSchema schema;

  private StructuredOutput(String name, String schemaText) {
    this.name = name;
    this.schemaText = schemaText;
    this.schema = FACTORY.getSchema(schemaText, InputFormat.JSON, CONFIG);
  }

  /** An output named {@code name} (for messages) that must validate against the JSON Schema {@code schemaJson}. */
  public static StructuredOutput of(String name, String schemaJson) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schemaJson, "schemaJson");
    return new StructuredOutput(name, schemaJson);
  }

  /** The schema's text, to show the model what to write. */
  public String schema() {
    return schemaText;
  }

  public String name() {
    return name;
  }

  /** What a reply was read as: the validated object, or why it is refused. */
  public sealed interface Reading permits Valid, Invalid {}

  /** A reply that is the required JSON. */
  public record Valid(JsonNode value) implements Reading {}

  /** A reply that is not: {@code problem} says why, for people and for the model's next attempt. */
  public record Invalid(String problem) implements Reading {}

  /** Reads {@code reply} strictly; never throws. */
  public Reading read(String reply) {
    if (reply == null || reply.isBlank()) {
      return new Invalid("the reply is empty; it must be one JSON object");
    }
    String text = extract(reply.strip());
    JsonNode node;
    try {
      node = STRICT.readTree(text);
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      int nl = m.indexOf('\n');
      return new Invalid("the reply is not one JSON object: " + (nl > 0 ? m.substring(0, nl) : m));
    }
    if (node == null || !node.isObject()) {
      return new Invalid("the reply must be a JSON object, not " + (node == null ? "nothing" : node.getNodeType()));
    }
    Set<ValidationMessage> errors = schema.validate(node);
    if (!errors.isEmpty()) {
      return new Invalid("the JSON breaks the " + name + " schema: "
          + errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
    }
    return new Valid(node);
  }

  /** The JSON part of a reply: a fenced block's body, or from the first '{' to the last '}'. */
  static String extract(String reply) {
    int fence = reply.indexOf("```");
    if (fence >= 0) {
      int start = reply.indexOf('\n', fence);
      int end = start < 0 ? -1 : reply.indexOf("```", start);
      if (start >= 0 && end > start) {
        return reply.substring(start + 1, end).strip();
      }
    }
    int open = reply.indexOf('{');
    int close = reply.lastIndexOf('}');
    return open >= 0 && close > open ? reply.substring(open, close + 1) : reply;
  }
}
