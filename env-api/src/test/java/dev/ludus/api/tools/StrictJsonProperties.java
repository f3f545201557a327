package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class StrictJsonProperties {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Property(tries = 200)
  void writtenValuesParseBackToEqualValues(@ForAll("values") Object value) throws JsonProcessingException {
    String text = PLAIN.writeValueAsString(value);
    JsonNode expected = PLAIN.valueToTree(value);
    assertTrue(StrictJson.equal(expected, StrictJson.parse(text)), text);
    assertTrue(StrictJson.equal(expected, StrictJson.parse("  \n" + text + "\t ")), text);
  }

  @Property(tries = 300)
  void canonicalTextIsAFixedPointAndEqualToTheValue(@ForAll("values") Object value) throws JsonProcessingException {
    JsonNode parsed = StrictJson.parse(PLAIN.writeValueAsString(value));
    String canonical = StrictJson.canonical(parsed);
    assertEquals(canonical, StrictJson.canonical(StrictJson.parse(canonical)));
    assertTrue(StrictJson.equal(parsed, StrictJson.parse(canonical)));
  }

  @Property(tries = 300)
  void arbitraryTextNeverThrowsAnythingButIllegalArgument(@ForAll String text) {
    try {
      StrictJson.parse(text);
    } catch (IllegalArgumentException expected) {
      // a rejection names the offset; any other exception would fail the property
    }
  }

  @Provide
  Arbitrary<Object> values() {
    return value(3);
  }

  private Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("1e6")).ofScale(3).map(d -> d),
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> lists = value(depth - 1).list().ofMaxSize(3).map(l -> (Object) l);
    Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4), value(depth - 1))
        .ofMaxSize(3).map(m -> (Object) Map.copyOf(m));
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, lists), Tuple.of(1, maps));
  }
}
