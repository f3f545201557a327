package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
      throw new ConfigException("config for " + describe(plugin) + " is not valid YAML or JSON: " + Json.problem(e));
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

  /**
   * Binds an already-parsed tree (null or empty gives the defaults) with {@link ConfigBinder}, which
   * {@link dev.ludus.api.PluginContext#simulator plugin references} also use.
   */
  public static <C> C bind(Plugin<C> plugin, JsonNode tree) {
    return ConfigBinder.bind(plugin, tree);
  }

  /** The plugin's record fields, for error messages and {@code --help}. */
  public static String allowedFields(Class<?> configType) {
    return ConfigBinder.allowedFields(configType);
  }

  private static String describe(Plugin<?> plugin) {
    return "'" + plugin.name() + "'";
  }

  /**
   * The text of {@code source}: the contents of the file it names, or the source itself as inline YAML/JSON.
   * Something that looks like a file name ({@code x.yaml}, {@code ./x}, {@code /a/x}) but names no file fails with a
   * {@link ConfigException}, rather than being read as the inline text {@code "x.yaml"}.
   *
   * @param what what the file holds, for messages ({@code "config"}, {@code "shaping"})
   * @param whose the rest of the message's subject, e.g. {@code "for environment 'x'"}; may be empty
   */
  public static String sourceText(String source, String what, String whose) {
    Path path = pathOrNull(source);
    String subject = whose.isEmpty() ? "" : " " + whose;
    if (path == null && isDirectory(source)) {
      throw new ConfigException(what + " '" + source.trim() + "'" + subject + " is a directory; give a YAML or JSON "
          + "file, or the same inline");
    }
    if (path == null && looksLikeAPath(source.trim())) {
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
      // a regular file, or a readable non-directory such as a shell's <(...) pipe (/dev/fd/63)
      return Files.isRegularFile(p) || (Files.exists(p) && !Files.isDirectory(p)) ? p : null;
    } catch (RuntimeException invalidPath) {
      return null;
    }
  }

  private static boolean isDirectory(String source) {
    if (source.contains("\n") || source.isBlank() || source.length() > 4096) {
      return false;
    }
    try {
      return Files.isDirectory(Path.of(source.trim()));
    } catch (RuntimeException invalidPath) {
      return false;
    }
  }

  /** {@code x.yaml}, {@code /a/b}, {@code ./b}: a file name rather than inline YAML (which has no such form). */
  private static boolean looksLikeAPath(String source) {
    return source.matches("[^\\s:{}\\[\\]]+\\.(ya?ml|json)")
        || source.matches("(\\.{0,2}/|~/)[^\\s:{}\\[\\]]*");
  }
}
