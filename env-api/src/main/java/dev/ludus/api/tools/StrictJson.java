package dev.ludus.api.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Strict JSON (RFC 8259) for judging what a model wrote and for reading gold data: tool-call arguments, gold
 * calls, answer lists. The same reader the {@link ToolCallParser} and {@link ToolCallValidator} use, so a
 * shaper, an environment and an agent backend never disagree about whether something is JSON.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no unquoted keys, no leading zeros,
 * no {@code NaN}, no duplicate keys in an object, nothing after the value but whitespace, and nesting no
 * deeper than Jackson's default limit (an error, not a stack overflow). Numbers are read exactly (floats as
 * {@link java.math.BigDecimal}). Stateless and thread-safe; the returned trees are new on every call and
 * belong to the caller.
 */
public final class StrictJson {
  private StrictJson() {}

  private static final ObjectReader READER =
      CallJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The one JSON value that makes up {@code text} (surrounding whitespace allowed).
   *
   * @throws IllegalArgumentException naming the offset and what is wrong, when the text is not one JSON value
   */
  public static JsonNode parse(String text) {
    Objects.requireNonNull(text, "text");
    JsonNode node;
    try {
      node = READER.readTree(text);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      throw new IllegalArgumentException("invalid JSON" + (at >= 0 ? " at offset " + at : "") + ": "
          + firstLine(e.getOriginalMessage()), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException("invalid JSON at offset " + text.length() + ": expected a value, found "
          + "the end of the text");
    }
    return node;
  }

  /** {@link #parse}, or empty when {@code text} is null or not one JSON value. */
  public static Optional<JsonNode> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The JSON object that makes up {@code text}, or empty when it is not exactly one object. */
  public static Optional<ObjectNode> tryParseObject(String text) {
    return tryParse(text).filter(JsonNode::isObject).map(ObjectNode.class::cast);
  }

  /**
   * Whether two values are equal as JSON values: numbers by numeric value ({@code 1}, {@code 1.0} and
   * {@code 1E0} are equal), objects whatever their member order, arrays in order; a boolean never equals a
   * number and a string never equals anything but the same string.
   */
  public static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!equal(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }

  /**
   * {@code node} as canonical text: compact, with the members of every object sorted by key. Two trees that
   * differ only in member order get the same text. Numbers are written as the tree holds them (a tree from
   * {@link #parse} writes {@code 2.5E14} as {@code 2.5E+14}); {@link ParsedCall#arguments()} is written the same
   * way but keeps each number exactly as the model wrote it.
   */
  public static String canonical(JsonNode node) {
    return CallJson.canonical(Objects.requireNonNull(node, "node"));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
