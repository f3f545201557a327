package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallParserTest {
  @Test
  void ofReturnsTheSharedParserForEachFormatName() {
    assertSame(ToolCallParser.hermes(), ToolCallParser.of("hermes"));
    assertSame(ToolCallParser.json(), ToolCallParser.of("JSON"));
    assertEquals("hermes", ToolCallParser.of("hermes").format());
    assertEquals("json", ToolCallParser.of("json").format());
    assertEquals(List.of("hermes", "json"), ToolCallParser.FORMATS);
  }

  @Test
  void anUnknownFormatNameIsRejectedNamingTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolCallParser.of("xml"));
    assertTrue(e.getMessage().contains("'xml'"), e.getMessage());
    assertTrue(e.getMessage().contains("allowed: hermes, json"), e.getMessage());
  }

  @Test
  void callsMustNotBeEmpty() {
    assertThrows(IllegalArgumentException.class, () -> new ParseResult.Calls(List.of(), "", List.of()));
  }

  @Test
  void theJavadocExampleParsesAsDocumented() {
    ParseResult r = ToolCallParser.of("hermes").parse(
        "Let me check.\n<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}</tool_call>");
    ParseResult.Calls calls = (ParseResult.Calls) r;
    assertEquals("Let me check.", calls.content());
    assertEquals(14, calls.calls().get(0).start());
    assertEquals(87, calls.calls().get(0).end());
    assertEquals("{\"city\":\"Oslo\"}", calls.calls().get(0).arguments());
    ParseResult.Failure f = (ParseResult.Failure) ToolCallParser.of("hermes")
        .parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": }}</tool_call>");
    assertEquals(ParseResult.Kind.INVALID_JSON, f.kind());
    assertEquals(53, f.offset());
  }
}
