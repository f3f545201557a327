package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.PluginRef;
import dev.ludus.environments.dialogue.BuiltInUser;
import dev.ludus.simulators.persuasion.PersonaTable;
import dev.ludus.simulators.persuasion.PersuasionUserConfig;
import dev.ludus.simulators.persuasion.PersuasionUserProvider;

/**
 * The configuration of {@code persuasion}. Immutable; validated on construction, naming the bad field, its value and
 * what is allowed.
 *
 * @param maxTurns the most persuader messages before the conversation ends (truncated); 1 to 100, default 10
 * @param personas a JSON persona file in PersuasionForGood's trait schema (see
 *     {@link dev.ludus.simulators.persuasion.Persona}) to replace the built-in 48; null for the built-in table
 * @param user the simulated persuadee, a registered simulator: a name or {@code {name: ..., config: {...}}}. Default
 *     {@code persuasion-user}, which plays this configuration's {@code personas}; another simulator gets exactly the
 *     {@code config} given
 */
public record PersuasionConfig(int maxTurns, String personas, PluginRef user) {
  /** The built-in rule-based user, which plays this configuration's personas. */
  static final BuiltInUser BUILT_IN = new BuiltInUser(PersuasionUserProvider.NAME, "personas", "personas");
  static final PluginRef DEFAULT_USER = BUILT_IN.ref();

  public PersuasionConfig {
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    try {
      PersonaTable.of(personas);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("personas: " + e.getMessage(), e);
    }
    user = BUILT_IN.check(user);
  }

  /** Ten turns, the built-in personas, the rule-based persuadee. */
  public static PersuasionConfig defaults() {
    return new PersuasionConfig(10, null, DEFAULT_USER);
  }

  public PersuasionConfig withMaxTurns(int maxTurns) {
    return new PersuasionConfig(maxTurns, personas, user);
  }

  public PersuasionConfig withPersonas(String personas) {
    return new PersuasionConfig(maxTurns, personas, user);
  }

  /** The persona table in play. */
  PersonaTable table() {
    return PersonaTable.of(personas);
  }

  PluginRef userRef() {
    return BUILT_IN.resolve(user, () -> new PersuasionUserConfig(personas));
  }
}
