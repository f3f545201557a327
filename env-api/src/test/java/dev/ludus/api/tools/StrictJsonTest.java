package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
  @Test
  void parse_object_keepsMemberOrderAndExactValues() {
    JsonNode v = StrictJson.parse(" {\"a\": 1, \"b\": [true, false, null], \"c\": \"x\\n\\u00e9\", \"d\": -2.5e1} ");
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(v.properties().stream().map(e -> e.getKey()).toList()));
    assertEquals(0, new BigDecimal("1").compareTo(v.get("a").decimalValue()));
    assertTrue(v.get("b").get(0).booleanValue() && !v.get("b").get(1).booleanValue() && v.get("b").get(2).isNull());
    assertEquals("x\né", v.get("c").asText());
    assertEquals(0, new BigDecimal("-25").compareTo(v.get("d").decimalValue()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}", "01", "-", "1.", "1e", "\"abc",
      "\"a\u0001\"", "\"\\x\"", "[1 2]", "{\"a\" 1}", "tru", "nul", "1 2", "{\"a\":1}}", "NaN", "+1",
      "{\"a\":1,\"a\":2}", "// c\n1"})
  void parse_invalidText_isRejectedWithItsOffset(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(text));
    assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
    assertTrue(StrictJson.tryParse(text).isEmpty());
  }

  @Test
  void parse_deepNesting_isRejectedWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(deep));
    assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
  }

  @Test
  void tryParseObject_nonObject_isEmpty() {
    assertTrue(StrictJson.tryParseObject("[1]").isEmpty());
    assertTrue(StrictJson.tryParseObject("\"{}\"").isEmpty());
    assertTrue(StrictJson.tryParseObject(null).isEmpty());
    assertTrue(StrictJson.tryParseObject("{\"q\": \"x\"}").isPresent());
  }

  @Test
  void equal_numbersCompareByValueAndObjectsIgnoreKeyOrder() {
    assertTrue(StrictJson.equal(StrictJson.parse("{\"a\": 1, \"b\": [1.0, \"x\"]}"),
        StrictJson.parse("{\"b\": [1, \"x\"], \"a\": 1.00}")));
    assertTrue(StrictJson.equal(StrictJson.parse("1E2"), StrictJson.parse("100")));
    assertFalse(StrictJson.equal(StrictJson.parse("[1, 2]"), StrictJson.parse("[2, 1]")));
    assertFalse(StrictJson.equal(StrictJson.parse("\"1\""), StrictJson.parse("1")));
    assertFalse(StrictJson.equal(StrictJson.parse("true"), StrictJson.parse("1")));
    assertFalse(StrictJson.equal(StrictJson.parse("{\"a\": 1}"), StrictJson.parse("{\"a\": 1, \"b\": 2}")));
    assertFalse(StrictJson.equal(StrictJson.parse("{\"a\": null}"), StrictJson.parse("{\"b\": null}")));
  }

  @Test
  void canonical_sortsMembersAndDropsSpacing() {
    assertEquals("{\"a\":[1,{\"x\":true,\"y\":null}],\"b\":\"s\"}",
        StrictJson.canonical(StrictJson.parse("{ \"b\": \"s\", \"a\": [1, {\"y\": null, \"x\": true}] }")));
  }
}
