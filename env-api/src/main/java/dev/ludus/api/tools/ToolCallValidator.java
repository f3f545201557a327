package dev.ludus.api.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Checks a call against the tools on offer: the name must be one of theirs and the arguments must satisfy
 * that tool's {@link ToolSpec#parameters() JSON Schema}. Problems are {@linkplain ValidationResult
 * reported}, never thrown, including a tool whose own schema is broken.
 *
 * <p>Schemas are read as JSON Schema 2020-12 unless they declare another standard dialect with {@code
 * $schema} (draft 4, 6, 7, 2019-09). Nothing is fetched: a {@code $ref} to another document is reported
 * as {@link ValidationResult.Kind#INVALID_SCHEMA}. {@code format} is an annotation, as 2020-12 says, not
 * an assertion.
 *
 * <p>Thread-safe: compiled schemas are kept in a bounded cache keyed by the schema text and shared by all
 * callers (when it holds {@value #CACHED_SCHEMAS} schemas it is emptied and refilled, which a run with a
 * fixed set of tools never reaches); one validator can serve every episode. Nothing to close.
 *
 * <pre>{@code
 * ToolCallValidator validator = ToolCallValidator.create();
 * ToolSpec weather = new ToolSpec("weather", "Current weather",
 *     "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
 * validator.validate(new ParsedCall("weather", "{\"city\":\"Oslo\"}", 0, 0), List.of(weather)).valid(); // true
 * validator.validate(new ParsedCall("weather", "{}", 0, 0), List.of(weather)).violations();
 * // [Violation[kind=SCHEMA_VIOLATION, path=, keyword=required, message=required property 'city' not found]]
 * }</pre>
 */
public final class ToolCallValidator {
  private static final int CACHED_SCHEMAS = 1024;
  private static final ObjectReader ARGUMENTS =
      CallJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;
  private final ConcurrentMap<String, Compiled> schemas = new ConcurrentHashMap<>();

  /** A compiled schema, or why the schema text could not be compiled. */
  private record Compiled(JsonSchema schema, String error) {}

  private ToolCallValidator() {
    this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        builder -> builder.schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(iri -> false))));
    this.config = SchemaValidatorsConfig.builder()
        .pathType(PathType.JSON_POINTER)
        .locale(Locale.ENGLISH)
        .build();
  }

  private static final ToolCallValidator SHARED = new ToolCallValidator();

  /** One validator for the whole JVM, whose schema cache every caller shares. */
  public static ToolCallValidator shared() {
    return SHARED;
  }

  /** A validator with its own schema cache. */
  public static ToolCallValidator create() {
    return new ToolCallValidator();
  }

  /** Validates a call read from text. */
  public ValidationResult validate(ParsedCall call, List<ToolSpec> tools) {
    Objects.requireNonNull(call, "call");
    return validate(call.name(), call.arguments(), tools);
  }

  /** Validates a structured call; its arguments text may be anything, and is checked to be a JSON object. */
  public ValidationResult validate(ToolCall call, List<ToolSpec> tools) {
    Objects.requireNonNull(call, "call");
    return validate(call.name(), call.arguments(), tools);
  }

  private ValidationResult validate(String name, String arguments, List<ToolSpec> tools) {
    Objects.requireNonNull(tools, "tools");
    ToolSpec tool = null;
    for (ToolSpec t : tools) {
      if (t.name().equals(name)) {
        tool = t;
        break;
      }
    }
    if (tool == null) {
      List<String> known = tools.stream().map(ToolSpec::name).distinct().toList();
      String message = "unknown tool '" + name + "'; "
          + (known.isEmpty() ? "no tools are offered" : "known tools: " + String.join(", ", known));
      return violation(name, ValidationResult.Kind.UNKNOWN_TOOL, message);
    }
    JsonNode args;
    try {
      args = ARGUMENTS.readTree(arguments);
    } catch (IOException e) {
      return violation(name, ValidationResult.Kind.ARGUMENTS_NOT_OBJECT,
          "the arguments of '" + name + "' are not JSON: " + firstLine(e.getMessage()));
    }
    if (args == null || !args.isObject()) {
      return violation(name, ValidationResult.Kind.ARGUMENTS_NOT_OBJECT,
          "the arguments of '" + name + "' are not a JSON object");
    }
    Compiled compiled = compiled(tool.parameters());
    if (compiled.error() != null) {
      return violation(name, ValidationResult.Kind.INVALID_SCHEMA,
          "the schema of tool '" + name + "' is not usable: " + compiled.error());
    }
    Set<ValidationMessage> messages;
    try {
      messages = compiled.schema().validate(args);
    } catch (RuntimeException e) {
      return violation(name, ValidationResult.Kind.INVALID_SCHEMA,
          "the schema of tool '" + name + "' is not usable: " + firstLine(e.getMessage()));
    }
    List<ValidationResult.Violation> out = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      out.add(new ValidationResult.Violation(ValidationResult.Kind.SCHEMA_VIOLATION,
          m.getInstanceLocation().toString(), Objects.toString(m.getType(), ""), m.getError()));
    }
    out.sort(Comparator.comparing(ValidationResult.Violation::path)
        .thenComparing(ValidationResult.Violation::keyword)
        .thenComparing(ValidationResult.Violation::message));
    return new ValidationResult(name, out);
  }

  private Compiled compiled(String schemaText) {
    Compiled known = schemas.get(schemaText);
    if (known != null) {
      return known;
    }
    if (schemas.size() >= CACHED_SCHEMAS) {
      schemas.clear();
    }
    return schemas.computeIfAbsent(schemaText, this::compile);
  }

  private Compiled compile(String schemaText) {
    JsonNode node;
    try {
      node = CallJson.MAPPER.readTree(schemaText);
    } catch (IOException e) {
      return new Compiled(null, "not JSON: " + firstLine(e.getMessage()));
    }
    try {
      JsonSchema schema = factory.getSchema(node, config);
      schema.initializeValidators();
      return new Compiled(schema, null);
    } catch (RuntimeException e) {
      return new Compiled(null, firstLine(e.getMessage()));
    }
  }

  private static ValidationResult violation(String name, ValidationResult.Kind kind, String message) {
    return new ValidationResult(name, List.of(new ValidationResult.Violation(kind, "", "", message)));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
