package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a plugin's typed configuration record from YAML or JSON, starting from the plugin's defaults so
 * that a user writes only the fields they change. Every failure is a {@link ConfigException} whose one-line
 * message names the plugin, the field, the bad value and what is allowed.
 */
public final class PluginConfigs {
  private PluginConfigs() {}

  /**
   * Reads the configuration of {@code plugin} from {@code source}: the path of a YAML/JSON file, or inline
   * YAML/JSON text. Null or blank gives the defaults.
   */
  public static <C> C read(Plugin<C> plugin, String source) {
    return bind(plugin, tree(plugin, source));
  }

  /** The configuration tree in {@code source} (a file or inline text); an empty object when none. */
  public static ObjectNode tree(Plugin<?> plugin, String source) {
    if (source == null || source.isBlank()) {
      return Json.YAML.createObjectNode();
    }
    String text = sourceText(source, "config", "for " + describe(plugin));
    JsonNode tree;
    try {
      tree = Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config for " + describe(plugin) + " is not valid YAML or JSON: "
          + e.getOriginalMessage());
    }
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return Json.YAML.createObjectNode();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new ConfigException("config for " + describe(plugin) + " must be a mapping of fields; allowed fields: "
          + allowedFields(plugin.configType()));
    }
    return object;
  }

  /** Binds an already-parsed tree (null or empty gives the defaults). */
  public static <C> C bind(Plugin<C> plugin, JsonNode tree) {
    if (tree == null || tree instanceof NullNode || tree.isMissingNode()
        || (tree.isObject() && tree.isEmpty())) {
      return plugin.defaultConfig();
    }
    if (!tree.isObject()) {
      throw new ConfigException("config for " + describe(plugin) + " must be a mapping of fields; allowed fields: "
          + allowedFields(plugin.configType()));
    }
    ObjectNode merged = Json.YAML.valueToTree(plugin.defaultConfig());
    if (merged == null || !merged.isObject()) {
      merged = Json.YAML.createObjectNode();
    }
    overlay(merged, (ObjectNode) tree);
    try {
      return Json.YAML.treeToValue(merged, plugin.configType());
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("config for " + describe(plugin) + ": unknown field '" + e.getPropertyName()
          + "'; allowed fields: " + allowedFields(plugin.configType()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ConfigException("config for " + describe(plugin) + ": " + cause.getMessage());
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

  /** The plugin's record fields, for error messages and {@code --help}. */
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
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
          .collect(Collectors.joining(", "));
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * The text of {@code source}: the contents of the file it names, or the source itself as inline YAML/JSON.
   * Something that looks like a file name ({@code x.yaml}) but names no file fails with a
   * {@link ConfigException}, rather than being read as the inline text {@code "x.yaml"}.
   *
   * @param what what the file holds, for messages ({@code "config"}, {@code "shaping"})
   * @param whose the rest of the message's subject, e.g. {@code "for environment 'x'"}; may be empty
   */
  public static String sourceText(String source, String what, String whose) {
    Path path = pathOrNull(source);
    String subject = whose.isEmpty() ? "" : " " + whose;
    if (path == null && source.trim().matches("[^\\s:{}\\[\\]]+\\.(ya?ml|json)")) {
      throw new ConfigException(what + " file '" + source.trim() + "'" + subject + " does not exist");
    }
    if (path == null) {
      return source;
    }
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + what + " file " + path + ": " + e.getMessage());
    }
  }

  private static Path pathOrNull(String source) {
    if (source.contains("\n") || source.trim().startsWith("{") || source.length() > 4096) {
      return null;
    }
    try {
      Path p = Path.of(source.trim());
      return Files.isRegularFile(p) ? p : null;
    } catch (RuntimeException invalidPath) {
      return null;
    }
  }
}
