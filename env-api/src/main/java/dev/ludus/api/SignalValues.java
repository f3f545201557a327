package dev.ludus.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * Turns plain JSON values (what Jackson reads into {@code Object}: maps, lists, strings, numbers, booleans) into
 * a signal key's declared type, with Jackson, so that a record-valued signal read back from an episode file is
 * the record again. Stateless and thread-safe.
 */
final class SignalValues {
  /**
   * Lenient about fields a newer (or older) version of a signal's record may have; strict about scalars, so that
   * a value written under another type (a number read as a boolean or a string, a string as a number, a fraction
   * as an integer) fails rather than passing as something it was not.
   */
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
      .build();

  private SignalValues() {}

  /** Whether {@code value} already is of {@code type} (and, for a typed list, every element of {@code element}). */
  static boolean fits(Object value, Class<?> type, Class<?> element) {
    if (!boxed(type).isInstance(value)) {
      return false;
    }
    if (element != null) {
      Class<?> e = boxed(element);
      for (Object o : (List<?>) value) {
        if (o != null && !e.isInstance(o)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isPlainJson(Object value) {
    return value instanceof Map || value instanceof List || value instanceof String || value instanceof Number
        || value instanceof Boolean;
  }

  /** {@code value} as {@code type} (a {@code List} of {@code element} when given); fails with Jackson's reason. */
  static Object convert(Object value, Class<?> type, Class<?> element) {
    JavaType target = element == null
        ? MAPPER.constructType(type)
        : MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    return MAPPER.convertValue(value, target);
  }

  /** A short description of a plain value for an error message, e.g. {@code a map {low=1, high=5}}. */
  static String describe(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    String kind = value instanceof Map ? "a map" : value instanceof List ? "a list"
        : value instanceof String ? "a string" : value instanceof Boolean ? "a boolean" : "a number";
    return kind + " " + text;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    } else if (type == long.class) {
      return Long.class;
    } else if (type == double.class) {
      return Double.class;
    } else if (type == boolean.class) {
      return Boolean.class;
    } else if (type == float.class) {
      return Float.class;
    } else if (type == short.class) {
      return Short.class;
    } else if (type == byte.class) {
      return Byte.class;
    } else if (type == char.class) {
      return Character.class;
    }
    return Void.class;
  }
}
