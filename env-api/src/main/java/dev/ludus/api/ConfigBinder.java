package dev.ludus.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a configuration tree to a plugin's typed configuration record, starting from the plugin's defaults
 * so that a user writes only the fields they change. Every failure is a {@link ConfigException} whose
 * one-line message names the plugin, the field, the bad value and what is allowed. The runner's YAML
 * reading and {@link PluginContext#simulator(PluginRef)} both bind here. Stateless and thread-safe.
 */
public final class ConfigBinder {
  /** Strict about unknown fields and nulls for primitives, because a typo should not pass silently. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private ConfigBinder() {}

  /**
   * The configuration of {@code plugin}: its {@link Plugin#defaultConfig() defaults} with the fields of
   * {@code tree} laid over them (nested mappings merge field by field). Null, missing or an empty mapping
   * gives the defaults.
   */
  public static <C> C bind(Plugin<C> plugin, JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode() || (tree.isObject() && tree.isEmpty())) {
      return plugin.defaultConfig();
    }
    if (!tree.isObject()) {
      throw new ConfigException("config for " + describe(plugin) + " must be a mapping of fields; allowed fields: "
          + allowedFields(plugin.configType()));
    }
    JsonNode defaults = MAPPER.valueToTree(plugin.defaultConfig());
    ObjectNode merged = defaults instanceof ObjectNode o ? o : MAPPER.createObjectNode();
    overlay(merged, (ObjectNode) tree);
    try {
      return MAPPER.treeToValue(merged, plugin.configType());
    } catch (UnrecognizedPropertyException e) {
      String at = path(e);
      if (at.contains(".")) {
        throw new ConfigException("config for " + describe(plugin) + ": unknown field '" + at + "'; allowed there: "
            + known(e.getKnownPropertyIds()));
      }
      throw new ConfigException("config for " + describe(plugin) + ": unknown field '" + e.getPropertyName()
          + "'; allowed fields: " + allowedFields(plugin.configType()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String at = path(e);
      throw new ConfigException("config for " + describe(plugin) + ": " + (at.isEmpty() ? "" : at + ": ")
          + cause.getMessage());
    } catch (InvalidFormatException e) {
      throw new ConfigException("config for " + describe(plugin) + ": field '" + path(e) + "' cannot be '"
          + e.getValue() + "'; it takes " + typeName(e.getTargetType()));
    } catch (MismatchedInputException e) {
      throw new ConfigException("config for " + describe(plugin) + ": field '" + path(e) + "' takes "
          + typeName(e.getTargetType()));
    } catch (JsonProcessingException e) {
      throw new ConfigException("config for " + describe(plugin) + ": " + e.getOriginalMessage());
    }
  }

  /** {@code config} (a configuration record) as a tree, e.g. for a {@link PluginRef}. */
  public static ObjectNode tree(Object config) {
    JsonNode tree = MAPPER.valueToTree(config);
    return tree instanceof ObjectNode o ? o : MAPPER.createObjectNode();
  }

  /** An empty mapping. */
  static ObjectNode emptyTree() {
    return MAPPER.createObjectNode();
  }

  /** The record's fields with their types, for error messages and {@code --help}. */
  public static String allowedFields(Class<?> configType) {
    if (!configType.isRecord() || configType.getRecordComponents().length == 0) {
      return "(none)";
    }
    return Arrays.stream(configType.getRecordComponents())
        .map(c -> c.getName() + " (" + typeName(c.getType()) + ")")
        .collect(Collectors.joining(", "));
  }

  private static void overlay(ObjectNode base, ObjectNode over) {
    for (Map.Entry<String, JsonNode> e : over.properties()) {
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
        overlay(eo, vo);
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static String describe(Plugin<?> plugin) {
    return "'" + plugin.name() + "'";
  }

  private static String known(Collection<Object> ids) {
    return ids == null || ids.isEmpty() ? "(none)"
        : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "a different type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == PluginRef.class) {
      return "a plugin's name or {name: ..., config: {...}}";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> yamlName((Enum<?>) c))
          .collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  /** The name YAML writes an enum constant with: its {@code @JsonProperty} name when it has one. */
  private static String yamlName(Enum<?> constant) {
    try {
      com.fasterxml.jackson.annotation.JsonProperty p = constant.getDeclaringClass().getField(constant.name())
          .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return p != null && !p.value().isEmpty() ? p.value() : constant.name();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }
}
