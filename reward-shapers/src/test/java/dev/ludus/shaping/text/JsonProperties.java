package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JsonProperties {

  @Property(tries = 300)
  void writtenValuesParseBackToEqualValues(@ForAll("values") Object value) {
    String text = write(value);
    assertTrue(Json.equal(value, Json.parse(text)), text);
    assertTrue(Json.equal(value, Json.parse("  \n" + text + "\t ")), text);
  }

  @Property(tries = 300)
  void arbitraryTextNeverThrowsAnythingButJsonException(@ForAll String text) {
    try {
      Json.parse(text);
    } catch (Json.JsonException expected) {
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
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE, Json.NULL));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> lists = value(depth - 1).list().ofMaxSize(3).map(l -> (Object) l);
    Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4), value(depth - 1))
        .ofMaxSize(3).map(m -> (Object) m);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, lists), net.jqwik.api.Tuple.of(1, maps));
  }

  /** A JSON writer for the test, escaping every non-ASCII and control character. */
  static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  private static void write(Object v, StringBuilder sb) {
    if (v == Json.NULL) {
      sb.append("null");
    } else if (v instanceof String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x20 || c > 0x7e) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      sb.append('"');
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toString());
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        sb.append(i > 0 ? ", " : "");
        write(l.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) v).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        write(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
        sb.append(it.hasNext() ? "," : "");
      }
      sb.append('}');
    }
  }
}
