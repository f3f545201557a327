package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.environments.tools.sandbox.Intent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Function calls as Python source, the form of BFCL's multi-turn ground truth: {@code cd(folder='document')},
 * {@code place_order(order_type='buy', symbol='ORB', amount=10)}. Renders keyword-argument calls with Python
 * literals (strings in single quotes, {@code True}/{@code False}/{@code None}, lists, dicts) and parses them back
 * into JSON arguments. Only literals are read: names, expressions and positional arguments are errors, so no
 * text is ever evaluated. Stateless.
 */
final class PyCalls {
  private PyCalls() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** {@code name(k=v, ...)} with the arguments in their order. */
  static String render(Intent.Call call) {
    StringBuilder sb = new StringBuilder(call.name()).append('(');
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : call.arguments().properties()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append('=');
      literal(e.getValue(), sb);
    }
    return sb.append(')').toString();
  }

  private static void literal(JsonNode v, StringBuilder sb) {
    if (v.isTextual()) {
      sb.append('\'');
      for (char c : v.textValue().toCharArray()) {
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '\'' -> sb.append("\\'");
          case '\n' -> sb.append("\\n");
          case '\t' -> sb.append("\\t");
          case '\r' -> sb.append("\\r");
          default -> sb.append(c);
        }
      }
      sb.append('\'');
    } else if (v.isBoolean()) {
      sb.append(v.booleanValue() ? "True" : "False");
    } else if (v.isNull()) {
      sb.append("None");
    } else if (v.isIntegralNumber()) {
      sb.append(v.bigIntegerValue());
    } else if (v.isNumber()) {
      String s = v.decimalValue().toPlainString();
      sb.append(s.contains(".") ? s : s + ".0");
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        literal(v.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        literal(F.textNode(e.getKey()), sb);
        sb.append(": ");
        literal(e.getValue(), sb);
      }
      sb.append('}');
    }
  }

  /**
   * Reads {@code name(k=v, ...)}.
   *
   * @throws IllegalArgumentException naming the offset and what was expected
   */
  static Intent.Call parse(String source) {
    Reader r = new Reader(source);
    r.space();
    int start = r.pos;
    while (r.pos < r.s.length() && (Character.isLetterOrDigit(r.peek()) || r.peek() == '_' || r.peek() == '.')) {
      r.pos++;
    }
    String name = r.s.substring(start, r.pos);
    if (name.isEmpty()) {
      throw r.error("a function name");
    }
    r.space();
    r.expect('(');
    ObjectNode args = F.objectNode();
    r.space();
    if (r.peek() != ')') {
      while (true) {
        r.space();
        int k = r.pos;
        while (r.pos < r.s.length() && (Character.isLetterOrDigit(r.peek()) || r.peek() == '_')) {
          r.pos++;
        }
        String key = r.s.substring(k, r.pos);
        if (key.isEmpty()) {
          throw r.error("a keyword argument name (positional arguments are not supported)");
        }
        r.space();
        r.expect('=');
        args.set(key, r.value());
        r.space();
        if (r.peek() == ',') {
          r.pos++;
          r.space();
          if (r.peek() == ')') {
            break;
          }
          continue;
        }
        break;
      }
    }
    r.expect(')');
    r.space();
    if (r.pos != r.s.length()) {
      throw r.error("the end of the call");
    }
    return new Intent.Call(name, args);
  }

  private static final class Reader {
    final String s;
    int pos;

    Reader(String s) {
      this.s = s;
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    void space() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    void expect(char c) {
      space();
      if (peek() != c) {
        throw error("'" + c + "'");
      }
      pos++;
    }

    IllegalArgumentException error(String expected) {
      return new IllegalArgumentException("at offset " + pos + " of '" + s + "': expected " + expected);
    }

    JsonNode value() {
      space();
      char c = peek();
      if (c == '\'' || c == '"') {
        return F.textNode(string(c));
      }
      if (c == '[' || c == '(') {
        char close = c == '[' ? ']' : ')';
        pos++;
        ArrayNode a = F.arrayNode();
        space();
        while (peek() != close) {
          a.add(value());
          space();
          if (peek() == ',') {
            pos++;
            space();
          } else if (peek() != close) {
            throw error("',' or '" + close + "'");
          }
        }
        pos++;
        return a;
      }
      if (c == '{') {
        pos++;
        ObjectNode o = F.objectNode();
        space();
        while (peek() != '}') {
          JsonNode key = value();
          if (!key.isTextual()) {
            throw error("a string key");
          }
          expect(':');
          o.set(key.textValue(), value());
          space();
          if (peek() == ',') {
            pos++;
            space();
          } else if (peek() != '}') {
            throw error("',' or '}'");
          }
        }
        pos++;
        return o;
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(peek()) || "+-._".indexOf(peek()) >= 0)) {
        pos++;
      }
      String word = s.substring(start, pos);
      switch (word) {
        case "True" -> {
          return F.booleanNode(true);
        }
        case "False" -> {
          return F.booleanNode(false);
        }
        case "None" -> {
          return F.nullNode();
        }
        default -> {
          try {
            if (word.matches("[+-]?[0-9]+")) {
              return F.numberNode(new BigInteger(word));
            }
            return F.numberNode(new BigDecimal(word));
          } catch (NumberFormatException e) {
            pos = start;
            throw error("a Python literal (string, number, True, False, None, list, dict)");
          }
        }
      }
    }

    String string(char quote) {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != quote) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          char e = s.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            default -> sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
      if (pos >= s.length()) {
        throw error("the closing " + quote);
      }
      pos++;
      return sb.toString();
    }
  }
}
