package dev.ludus.simulators.profile;

/**
 * How the personalisation user plays. Immutable; validated on construction (the profile file is read then).
 *
 * @param profiles a JSON profile file in the built-in table's schema (see {@link ProfileTable}); null or blank for
 *     the built-in 40 profiles
 * @param revealShare the most of the profile revealed per reply, as a share of its facts (at least one fact); in
 *     (0, 1], default 0.15 (RLPA's)
 */
public record PersonalisationUserConfig(String profiles, double revealShare) {
  public PersonalisationUserConfig {
    if (!(revealShare > 0 && revealShare <= 1)) {
      throw new IllegalArgumentException("revealShare must be in (0, 1], was " + revealShare);
    }
    try {
      ProfileTable.of(profiles);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("profiles: " + e.getMessage(), e);
    }
  }

  /** The built-in profiles, 15% per reply. */
  public static PersonalisationUserConfig defaults() {
    return new PersonalisationUserConfig(null, 0.15);
  }

  /** The profile table in play. */
  public ProfileTable table() {
    return ProfileTable.of(profiles);
  }
}
