package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ToolCallValidatorTest {
  private static final ToolSpec WEATHER = new ToolSpec("weather", "Current weather", """
      {"type": "object",
       "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1},
                      "units": {"type": "array", "items": {"enum": ["C", "F"]}}},
       "required": ["city"],
       "additionalProperties": false}""");
  private static final ToolSpec SEARCH = new ToolSpec("search", "Web search", null);
  private static final List<ToolSpec> TOOLS = List.of(WEATHER, SEARCH);

  private final ToolCallValidator validator = ToolCallValidator.create();

  private ValidationResult validate(String name, String arguments) {
    return validator.validate(new ParsedCall(name, arguments, 0, 0), TOOLS);
  }

  private static ValidationResult.Violation schema(String path, String keyword, String message) {
    return new ValidationResult.Violation(ValidationResult.Kind.SCHEMA_VIOLATION, path, keyword, message);
  }

  @Test
  void validArgumentsPass() {
    ValidationResult r = validate("weather", "{\"city\":\"Oslo\",\"days\":3,\"units\":[\"C\"]}");
    assertTrue(r.valid(), r.toString());
    assertEquals(new ValidationResult("weather", List.of()), r);
    assertTrue(validate("search", "{\"anything\":1}").valid(), "the default schema is any object");
  }

  @Test
  void aMissingRequiredPropertyIsReportedAtTheArgumentsObject() {
    assertEquals(List.of(schema("", "required", "required property 'city' not found")),
        validate("weather", "{}").violations());
  }

  @Test
  void aWrongTypeIsReportedAtItsJsonPointer() {
    assertEquals(List.of(schema("/city", "type", "integer found, string expected")),
        validate("weather", "{\"city\":7}").violations());
  }

  @Test
  void everyViolationIsListedInPathOrder() {
    ValidationResult r = validate("weather", "{\"days\":0,\"units\":[\"K\"],\"extra\":true}");
    assertFalse(r.valid());
    assertEquals(List.of("", "", "/days", "/units/0"), r.violations().stream().map(ValidationResult.Violation::path)
        .toList());
    assertEquals(List.of("additionalProperties", "required", "minimum", "enum"),
        r.violations().stream().map(ValidationResult.Violation::keyword).toList());
  }

  @Test
  void anUnknownToolIsReportedWithTheKnownNames() {
    ValidationResult r = validate("wether", "{}");
    assertEquals(1, r.violations().size());
    ValidationResult.Violation v = r.violations().get(0);
    assertEquals(ValidationResult.Kind.UNKNOWN_TOOL, v.kind());
    assertEquals("unknown tool 'wether'; known tools: weather, search", v.message());
    assertEquals("unknown tool 'x'; no tools are offered",
        validator.validate(new ParsedCall("x", "{}", 0, 0), List.of()).violations().get(0).message());
  }

  @Test
  void structuredCallsWithArgumentsThatAreNotAnObjectAreReported() {
    for (String args : List.of("[1]", "{\"city\":", "{} {}", "\"x\"")) {
      ValidationResult r = validator.validate(ToolCall.of("c", "weather", args), TOOLS);
      assertEquals(ValidationResult.Kind.ARGUMENTS_NOT_OBJECT, r.violations().get(0).kind(), args);
    }
    assertTrue(validator.validate(ToolCall.of("c", "weather", "{\"city\": \"Oslo\"}"), TOOLS).valid());
  }

  @Test
  void aBrokenToolSchemaIsReportedNotThrown() {
    ToolSpec notJson = new ToolSpec("bad", "", "{\"type\": ");
    ToolSpec remoteRef = new ToolSpec("remote", "", "{\"$ref\": \"http://localhost:9/args.json\"}");
    ValidationResult a = validator.validate(new ParsedCall("bad", "{}", 0, 0), List.of(notJson));
    ValidationResult b = validator.validate(new ParsedCall("remote", "{}", 0, 0), List.of(remoteRef));
    assertEquals(ValidationResult.Kind.INVALID_SCHEMA, a.violations().get(0).kind());
    assertEquals(ValidationResult.Kind.INVALID_SCHEMA, b.violations().get(0).kind());
    assertTrue(b.violations().get(0).message().contains("not allowed to be loaded"), b.toString());
  }

  @Test
  void aSchemaDeclaringDraft7IsReadAsDraft7() {
    ToolSpec d7 = new ToolSpec("d7", "", """
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "properties": {"n": {"type": "number", "exclusiveMaximum": 10}}}""");
    assertTrue(validator.validate(new ParsedCall("d7", "{\"n\":9}", 0, 0), List.of(d7)).valid());
    assertEquals("exclusiveMaximum", validator.validate(new ParsedCall("d7", "{\"n\":10}", 0, 0), List.of(d7))
        .violations().get(0).keyword());
  }

  @Test
  void concurrentValidationsShareTheCompiledSchemaAndAgree() {
    List<CompletableFuture<ValidationResult>> futures = IntStream.range(0, 64)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> validate("weather", "{\"city\":" + (i % 2 == 0 ? "1" : "\"x\"") + "}")))
        .toList();
    for (int i = 0; i < futures.size(); i++) {
      assertEquals(i % 2 != 0, futures.get(i).join().valid(), "call " + i);
    }
  }
}
