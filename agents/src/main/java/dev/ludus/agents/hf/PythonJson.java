package dev.ludus.agents.hf;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps(value, ensure_ascii=False)} writes it, which is what a Hugging Face chat
 * template's {@code tojson} filter produces: {@code ", "} between items, {@code ": "} after keys, keys in insertion
 * order, non-ASCII characters as they are, control characters escaped. Stateless.
 */
final class PythonJson {
  private PythonJson() {}

  static String dumps(Object value) {
    return dumps(value, -1);
  }

  /** With {@code indent >= 0}, one item per line indented by {@code indent} spaces a level, as {@code indent=N}. */
  static String dumps(Object value, int indent) {
    StringBuilder out = new StringBuilder();
    write(value, out, indent, 0);
    return out.toString();
  }

  private static void newline(StringBuilder out, int indent, int level) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * level));
    }
  }

  private static void write(Object v, StringBuilder out, int indent, int level) {
    String comma = indent >= 0 ? "," : ", ";
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      out.append(d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? String.valueOf((long) d) + ".0"
          : String.valueOf(d));
    } else if (v instanceof Number n) {
      out.append(n);
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(out, indent, level + 1);
        string(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, indent, level + 1);
        if (it.hasNext()) {
          out.append(comma);
        }
      }
      if (!m.isEmpty()) {
        newline(out, indent, level);
      }
      out.append('}');
    } else if (v instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          out.append(comma);
        }
        newline(out, indent, level + 1);
        write(l.get(i), out, indent, level + 1);
      }
      if (!l.isEmpty()) {
        newline(out, indent, level);
      }
      out.append(']');
    } else {
      string(v.toString(), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
