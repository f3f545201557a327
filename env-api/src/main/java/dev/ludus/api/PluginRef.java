package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A reference to a registered plugin by name, with the fields of its configuration that differ from the
 * plugin's defaults: what a configuration record holds when it lets the user choose another plugin (the
 * simulated user of a dialogue environment). Read from YAML or JSON as {@code {name: ..., config: {...}}}
 * or as a bare name ({@code twenty-questions-user}); resolved at run time through the
 * {@link PluginContext} (e.g. {@link PluginContext#simulator(PluginRef)}), which binds the configuration
 * to the plugin's record with the same errors as any other configuration.
 *
 * <p>Immutable: the configuration tree is copied on construction; do not modify what {@link #config()}
 * returns.
 *
 * @param name the plugin's registered name
 * @param config the configuration fields to change (a mapping; empty for the defaults)
 */
public record PluginRef(String name, JsonNode config) {
  @JsonCreator
  public PluginRef {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a plugin reference needs a name, e.g. {name: twenty-questions-user}");
    }
    if (config == null || config.isNull() || config.isMissingNode()) {
      config = ConfigBinder.emptyTree();
    } else if (!config.isObject()) {
      throw new IllegalArgumentException("the config of '" + name + "' must be a mapping of fields, was " + config);
    } else {
      config = config.deepCopy();
    }
  }

  /** The plugin {@code name} with its default configuration; also how a bare name in YAML reads. */
  @JsonCreator
  public static PluginRef of(String name) {
    return new PluginRef(name, null);
  }

  /** The plugin {@code name} with a typed configuration record (all of its fields). */
  public static PluginRef of(String name, Object config) {
    return new PluginRef(name, ConfigBinder.tree(config));
  }

  /** Whether the reference keeps the plugin's defaults. */
  public boolean usesDefaults() {
    return config.isEmpty();
  }

  @Override
  public String toString() {
    return usesDefaults() ? name : name + " " + config;
  }
}
