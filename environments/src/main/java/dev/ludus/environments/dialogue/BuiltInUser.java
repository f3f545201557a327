package dev.ludus.environments.dialogue;

import dev.ludus.api.PluginRef;
import java.util.function.Supplier;

/**
 * The {@code user} field of a dialogue configuration whose built-in, rule-based user plays the environment's own
 * fields: a configuration names the built-in without a config of its own (it would contradict those fields), or any
 * other simulator with exactly the config it gets. Stateless.
 *
 * @param name the built-in user's registered name
 * @param plays the configuration fields the built-in user plays, as the refusal names them
 * @param setInstead what the refusal asks to set instead of {@code user.config}
 */
public record BuiltInUser(String name, String plays, String setInstead) {
  /** The reference that names the built-in user with its defaults. */
  public PluginRef ref() {
    return PluginRef.of(name);
  }

  /**
   * {@code user}, or the built-in when null; refuses the built-in with a config of its own, naming the field
   * {@code user}, the fields it plays and what to set instead.
   */
  public PluginRef check(PluginRef user) {
    PluginRef u = user == null ? ref() : user;
    if (u.name().equals(name) && !u.usesDefaults()) {
      throw new IllegalArgumentException("user: " + name + " plays the environment's " + plays + "; set " + setInstead
          + " instead of user.config " + u.config());
    }
    return u;
  }

  /**
   * The simulated user to ask the plugin context for: the built-in configured with {@code config} (the environment's
   * fields), or {@code user} as given.
   */
  public PluginRef resolve(PluginRef user, Supplier<?> config) {
    return user.name().equals(name) ? PluginRef.of(name, config.get()) : user;
  }
}
