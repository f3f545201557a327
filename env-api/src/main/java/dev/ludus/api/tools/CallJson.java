package dev.ludus.api.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.ludus.api.ToolSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the call objects in one block of text (the body of a {@code <tool_call>} or a code fence, or a
 * whole message) and turns them into {@link ParsedCall}s. Shared by both formats. Stateless and
 * thread-safe: the Jackson factories and mapper are configured once and never changed.
 *
 * <p>Design note: every body is read strictly first; only when that fails is it read again with trailing
 * commas allowed, so a warning is given exactly when the leniency was needed, and a real syntax error is
 * reported where the lenient reader (which forgives the commas) gave up.
 */
final class CallJson {
  private CallJson() {}

  private static final JsonFactory STRICT =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonFactory LENIENT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .build();
  /** Writes canonical text; reads arguments and schemas for validation with exact (BigDecimal) numbers. */
  static final JsonMapper MAPPER = JsonMapper.builder(STRICT)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Where a block came from, for messages, warnings and the calls' spans. */
  record Block(String label, int spanStart, int spanEnd) {}

  /** A top-level JSON value of a body, with where it (and, for an array, each element) starts. */
  private record Located(JsonNode node, int start, List<Integer> elementStarts) {}

  /**
   * Reads the calls in {@code text[from, to)} into {@code out}.
   *
   * @param allowFence whether a code fence around the JSON is stripped (with a warning)
   * @return the failure, or {@code null} when every call was read
   */
  static ParseResult.Failure readCalls(String text, int from, int to, Block block, boolean allowFence,
      List<ParsedCall> out, List<String> warnings) {
    from = skipSpace(text, from, to);
    to = trimSpace(text, from, to);
    if (allowFence && text.startsWith("```", from)) {
      int info = from + 3;
      int infoEnd = info;
      while (infoEnd < to && Character.isLetter(text.charAt(infoEnd))) {
        infoEnd++;
      }
      String lang = text.substring(info, infoEnd);
      if (lang.isEmpty() || lang.equalsIgnoreCase("json")) {
        from = skipSpace(text, infoEnd, to);
        if (to - from >= 3 && text.startsWith("```", to - 3)) {
          to = trimSpace(text, from, to - 3);
          warnings.add("read the JSON inside a code fence in " + block.label());
        } else {
          warnings.add("read the JSON after an unclosed code fence in " + block.label());
        }
      }
    }
    if (from >= to) {
      return new ParseResult.Failure(ParseResult.Kind.EMPTY_BLOCK, block.label() + " is empty", from);
    }
    String body = text.substring(from, to);
    List<Located> values;
    try {
      values = readValues(body, STRICT);
    } catch (IOException strict) {
      try {
        values = readValues(body, LENIENT);
        warnings.add("forgave trailing commas, the first at offset "
            + (from + commaBefore(body, offsetOf(strict, body))) + ", in " + block.label());
      } catch (IOException lenient) {
        return new ParseResult.Failure(ParseResult.Kind.INVALID_JSON,
            block.label() + " is not valid JSON: " + messageOf(lenient), from + offsetOf(lenient, body));
      }
    }
    if (values.size() > 1) {
      warnings.add("read " + values.size() + " JSON values one after another in " + block.label());
    }
    for (Located v : values) {
      if (v.node().isArray()) {
        if (v.node().isEmpty()) {
          return new ParseResult.Failure(ParseResult.Kind.EMPTY_BLOCK,
              block.label() + " holds an empty array of calls", from + v.start());
        }
        for (int i = 0; i < v.node().size(); i++) {
          ParseResult.Failure f = readCall(v.node().get(i), from + v.elementStarts().get(i), block, out, warnings);
          if (f != null) {
            return f;
          }
        }
      } else {
        ParseResult.Failure f = readCall(v.node(), from + v.start(), block, out, warnings);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /** One call object; {@code at} is its offset in the whole text. */
  private static ParseResult.Failure readCall(JsonNode node, int at, Block block, List<ParsedCall> out,
      List<String> warnings) {
    if (!(node instanceof ObjectNode call)) {
      return new ParseResult.Failure(ParseResult.Kind.NOT_AN_OBJECT,
          "a call in " + block.label() + " is " + describe(node) + ", not an object", at);
    }
    JsonNode nameNode = call.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
      String why = nameNode == null ? "has no \"name\""
          : nameNode.isTextual() ? "has a blank \"name\"" : "has a \"name\" that is " + describe(nameNode);
      return new ParseResult.Failure(ParseResult.Kind.MISSING_NAME, "a call in " + block.label() + " " + why, at);
    }
    String name = nameNode.asText();
    JsonNode args = call.get("arguments");
    if (args == null) {
      args = call.get("parameters");
    } else if (call.has("parameters")) {
      warnings.add("call '" + name + "' in " + block.label() + " has both \"arguments\" and \"parameters\"; used "
          + "\"arguments\"");
    }
    if (args == null || args.isNull()) {
      args = NODES.objectNode();
    } else if (args.isTextual()) {
      String argText = args.asText();
      if (argText.isBlank()) {
        warnings.add("call '" + name + "' in " + block.label() + " gives its arguments as an empty string; read {}");
        args = NODES.objectNode();
      } else {
        try {
          List<Located> inner = readValues(argText, STRICT);
          if (inner.size() != 1) {
            return new ParseResult.Failure(ParseResult.Kind.ARGUMENTS_NOT_OBJECT, "the arguments string of call '"
                + name + "' in " + block.label() + " holds " + inner.size() + " JSON values, not one object", at);
          }
          args = inner.get(0).node();
        } catch (IOException e) {
          return new ParseResult.Failure(ParseResult.Kind.ARGUMENTS_NOT_OBJECT, "the arguments string of call '"
              + name + "' in " + block.label() + " is not JSON: " + messageOf(e), at);
        }
        if (!args.isObject()) {
          return new ParseResult.Failure(ParseResult.Kind.ARGUMENTS_NOT_OBJECT, "the arguments string of call '"
              + name + "' in " + block.label() + " holds " + describe(args) + ", not an object", at);
        }
      }
    }
    if (!args.isObject()) {
      return new ParseResult.Failure(ParseResult.Kind.ARGUMENTS_NOT_OBJECT,
          "the arguments of call '" + name + "' in " + block.label() + " are " + describe(args) + ", not an object",
          at);
    }
    out.add(new ParsedCall(name, canonical(args), block.spanStart(), block.spanEnd()));
    return null;
  }

  /** The top-level values of {@code body}, whole; an array's element offsets are recorded. */
  private static List<Located> readValues(String body, JsonFactory factory) throws IOException {
    List<Located> values = new ArrayList<>();
    try (JsonParser p = factory.createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.START_ARRAY) {
          ArrayNode array = NODES.arrayNode();
          List<Integer> starts = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            starts.add((int) p.currentTokenLocation().getCharOffset());
            array.add(tree(p));
          }
          values.add(new Located(array, start, List.copyOf(starts)));
        } else {
          values.add(new Located(tree(p), start, List.of()));
        }
      }
    }
    return values;
  }

  /**
   * The value at the parser's current token, as a tree whose numbers are kept as the text they were
   * written as (raw value nodes), so that {@code 2.5E14} does not come back as {@code 250000000000000} and
   * {@code 1.50} not as {@code 1.5}. Duplicate keys were already refused by the parser.
   */
  private static JsonNode tree(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonParseException(p, "expected a JSON value");
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          object.set(key, tree(p));
        }
        if (t != JsonToken.END_OBJECT) {
          throw new JsonParseException(p, "expected a key or the end of an object");
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(tree(p));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return NODES.rawValueNode(new RawValue(p.getText()));
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected " + t);
    }
  }

  /**
   * The canonical text of the JSON object that makes up {@code text} (numbers kept as written), or null when
   * {@code text} is not exactly one object.
   */
  static String canonicalObject(String text) {
    try {
      List<Located> values = readValues(text, STRICT);
      return values.size() == 1 && values.get(0).node().isObject() ? canonical(values.get(0).node()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * One call object as text, {@code {"name":...,"arguments":{...}}}: the arguments canonical when they are a
   * JSON object, else (malformed, as a model may have sent them) kept verbatim as a JSON string.
   */
  static String callObject(String name, String arguments) {
    String args = canonicalObject(arguments);
    return "{\"name\":" + quote(name) + ",\"arguments\":" + (args != null ? args : quote(arguments)) + "}";
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("writing a string cannot fail", e);
    }
  }

  /**
   * The tools as JSON lines, one {@code {"type":"function","function":{"name","description","parameters"}}}
   * per tool, in order; a schema that is not JSON is written as a string.
   */
  static String toolLines(List<ToolSpec> tools) {
    StringBuilder sb = new StringBuilder();
    for (ToolSpec t : tools) {
      ObjectNode function = NODES.objectNode();
      function.put("name", t.name());
      function.put("description", t.description());
      JsonNode schema;
      try {
        List<Located> values = readValues(t.parameters(), STRICT);
        schema = values.size() == 1 ? values.get(0).node() : NODES.textNode(t.parameters());
      } catch (IOException e) {
        schema = NODES.textNode(t.parameters());
      }
      function.set("parameters", schema);
      ObjectNode line = NODES.objectNode();
      line.put("type", "function");
      line.set("function", function);
      try {
        sb.append(MAPPER.writeValueAsString(line)).append('\n');
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException("writing a JSON tree to a string cannot fail", e);
      }
    }
    return sb.toString();
  }

  /** {@code node} with the members of every object sorted by key, written compactly. */
  static String canonical(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("writing a JSON tree to a string cannot fail", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> members = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        members.put(e.getKey(), sorted(e.getValue()));
      }
      ObjectNode out = NODES.objectNode();
      out.setAll(members);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode e : node) {
        out.add(sorted(e));
      }
      return out;
    }
    return node;
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      case BOOLEAN -> "a boolean (" + node.asText() + ")";
      case NUMBER, POJO -> "a number";
      case STRING -> "a string";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static int offsetOf(IOException e, String body) {
    long at = e instanceof JsonProcessingException jpe && jpe.getLocation() != null
        ? jpe.getLocation().getCharOffset() : -1;
    return at < 0 || at > body.length() ? body.length() : (int) at;
  }

  /** The comma that the strict reader tripped over at {@code at}: the last non-space before it, if a comma. */
  private static int commaBefore(String body, int at) {
    int i = at - 1;
    while (i >= 0 && Character.isWhitespace(body.charAt(i))) {
      i--;
    }
    return i >= 0 && body.charAt(i) == ',' ? i : at;
  }

  private static String messageOf(IOException e) {
    return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : String.valueOf(e.getMessage());
  }

  static int skipSpace(String text, int from, int to) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    return from;
  }

  static int trimSpace(String text, int from, int to) {
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }
}
