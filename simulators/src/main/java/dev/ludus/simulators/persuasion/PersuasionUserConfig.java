package dev.ludus.simulators.persuasion;

/**
 * How the rule-based persuadee plays. Immutable; validated on construction (the persona file is read then).
 *
 * @param personas a JSON file of personas in the built-in table's schema ({@code {"personas": [...]}}, see
 *     {@link Persona}); null or blank for the built-in table of 48
 */
public record PersuasionUserConfig(String personas) {
  public PersuasionUserConfig {
    try {
      PersonaTable.of(personas);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("personas: " + e.getMessage(), e);
    }
  }

  /** The built-in personas. */
  public static PersuasionUserConfig defaults() {
    return new PersuasionUserConfig(null);
  }

  /** The persona table in play. */
  public PersonaTable table() {
    return PersonaTable.of(personas);
  }
}
