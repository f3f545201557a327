package dev.ludus.shaping.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small JSON reader for tool calls and gold data, so that the shapers need no JSON library. Values come
 * back as plain Java values: {@link Map} (insertion-ordered, unmodifiable) for objects, {@link List} for
 * arrays, {@link String}, {@link BigDecimal} for every number, {@link Boolean}, and {@link #NULL} for
 * {@code null}.
 *
 * <p>Design note: the grammar is strict RFC 8259 (no comments, no trailing commas, no single quotes),
 * because the shapers use it to judge whether a model wrote valid JSON. It is lenient only in what it
 * returns: {@link #tryParse} gives an empty result instead of throwing, and {@link #readValues} reads a
 * whitespace-separated run of values, as in a {@code <tool_call>} block holding one call per line.
 * Nesting deeper than {@value #MAX_DEPTH} is rejected rather than overflowing the stack. Stateless.
 */
final class Json {
  /** The JSON {@code null} (a {@link Map} cannot hold a Java null in an unmodifiable copy). */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  static final int MAX_DEPTH = 512;

  private Json() {}

  /** Thrown on text that is not JSON; the message names the position and what was expected. */
  static final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  /** Parses one JSON value that must make up the whole text (surrounding whitespace allowed). */
  static Object parse(String text) {
    Reader r = new Reader(text);
    r.skipWs();
    Object v = r.value(0);
    r.skipWs();
    if (r.pos < text.length()) {
      throw r.error("end of input");
    }
    return v;
  }

  /** {@link #parse}, or empty when the text is not one JSON value. */
  static Optional<Object> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (JsonException e) {
      return Optional.empty();
    }
  }

  /** Parses a JSON object, or empty when the text is not exactly one object. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> tryParseObject(String text) {
    return tryParse(text).filter(v -> v instanceof Map).map(v -> (Map<String, Object>) v);
  }

  /** Parses a run of JSON values separated by whitespace (at least one). */
  static List<Object> readValues(String text) {
    Reader r = new Reader(text);
    List<Object> out = new ArrayList<>();
    r.skipWs();
    do {
      out.add(r.value(0));
      r.skipWs();
    } while (r.pos < text.length());
    return out;
  }

  /**
   * Whether two parsed values are equal as JSON values: numbers by numeric value ({@code 1 == 1.0}),
   * objects regardless of key order, arrays in order.
   */
  static boolean equal(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a == b || (a != null && a.equals(b));
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    JsonException error(String expected) {
      String found = pos >= s.length() ? "end of input" : "'" + s.charAt(pos) + "'";
      return new JsonException("invalid JSON at offset " + pos + ": expected " + expected + ", found " + found);
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw new JsonException("invalid JSON at offset " + pos + ": nested deeper than " + MAX_DEPTH);
      }
      if (pos >= s.length()) {
        throw error("a value");
      }
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", NULL);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("a value");
        }
      };
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("'" + word + "'");
      }
      pos += word.length();
      return v;
    }

    private Map<String, Object> object(int depth) {
      pos++; // {
      Map<String, Object> m = new LinkedHashMap<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableMap(m);
      }
      while (true) {
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("a string key");
        }
        String key = string();
        skipWs();
        expect(':');
        skipWs();
        m.put(key, value(depth + 1));
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < s.length() && s.charAt(pos) == '}') {
          pos++;
          return Collections.unmodifiableMap(m);
        } else {
          throw error("',' or '}'");
        }
      }
    }

    private List<Object> array(int depth) {
      pos++; // [
      List<Object> l = new ArrayList<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return Collections.unmodifiableList(l);
      }
      while (true) {
        skipWs();
        l.add(value(depth + 1));
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < s.length() && s.charAt(pos) == ']') {
          pos++;
          return Collections.unmodifiableList(l);
        } else {
          throw error("',' or ']'");
        }
      }
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("'" + c + "'");
      }
      pos++;
    }

    private String string() {
      pos++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("a closing '\"'");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("an escaped control character");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("an escape character");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("four hex digits");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos), 16);
              if (d < 0) {
                throw error("a hex digit");
              }
              code = code * 16 + d;
              pos++;
            }
            sb.append((char) code);
          }
          default -> {
            pos--;
            throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
          }
        }
      }
    }

    private BigDecimal number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == '0') {
        pos++;
      } else {
        digits();
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        digits();
      }
      try {
        return new BigDecimal(s.substring(start, pos));
      } catch (NumberFormatException | ArithmeticException e) {
        pos = start;
        throw error("a number in range");
      }
    }

    private void digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      if (pos == start) {
        throw error("a digit");
      }
    }
  }
}
