package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parse_object_givesOrderedMapOfPlainValues() {
    Object v = Json.parse(" {\"a\": 1, \"b\": [true, false, null], \"c\": \"x\\n\\u00e9\", \"d\": -2.5e1} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(m.keySet()));
    assertEquals(new BigDecimal("1"), m.get("a"));
    assertEquals(List.of(true, false, Json.NULL), m.get("b"));
    assertEquals("x\né", m.get("c"));
    assertEquals(0, new BigDecimal("-25").compareTo((BigDecimal) m.get("d")));
  }

  @Test
  void parse_nullLiteral_givesTheNullMarker() {
    assertSame(Json.NULL, Json.parse("null"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}", "01", "-", "1.", "1e", "\"abc",
      "\"a\u0001\"", "\"\\x\"", "[1 2]", "{\"a\" 1}", "tru", "nul", "1 2", "{\"a\":1}}", "NaN", "+1"})
  void parse_invalidText_isRejectedWithItsOffset(String text) {
    Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
    assertTrue(Json.tryParse(text).isEmpty());
  }

  @Test
  void parse_deepNesting_isRejectedWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
  }

  @Test
  void tryParseObject_nonObject_isEmpty() {
    assertTrue(Json.tryParseObject("[1]").isEmpty());
    assertTrue(Json.tryParseObject("\"{}\"").isEmpty());
    assertTrue(Json.tryParseObject("{\"q\": \"x\"}").isPresent());
  }

  @Test
  void readValues_valuesOnSeparateLines_areAllRead() {
    assertEquals(List.of(Map.of("name", "a"), Map.of("name", "b")),
        Json.readValues("\n{\"name\": \"a\"}\n{\"name\": \"b\"}\n"));
  }

  @Test
  void equal_numbersCompareByValueAndObjectsIgnoreKeyOrder() {
    assertTrue(Json.equal(Json.parse("{\"a\": 1, \"b\": [1.0, \"x\"]}"),
        Json.parse("{\"b\": [1, \"x\"], \"a\": 1.00}")));
    assertFalse(Json.equal(Json.parse("[1, 2]"), Json.parse("[2, 1]")));
    assertFalse(Json.equal(Json.parse("\"1\""), Json.parse("1")));
    assertFalse(Json.equal(Json.parse("true"), Json.parse("1")));
    assertFalse(Json.equal(Json.parse("{\"a\": 1}"), Json.parse("{\"a\": 1, \"b\": 2}")));
  }
}
