package dev.ludus.environments.dialogue.personalisation;

import dev.ludus.api.PluginRef;
import dev.ludus.environments.dialogue.BuiltInUser;
import dev.ludus.simulators.profile.PersonalisationUserConfig;
import dev.ludus.simulators.profile.PersonalisationUserProvider;
import dev.ludus.simulators.profile.ProfileTable;

/**
 * The configuration of {@code personalisation}. Immutable; validated on construction, naming the bad field, its value
 * and what is allowed.
 *
 * @param maxTurns the most agent messages before the conversation is truncated; 1 to 100, default 12
 * @param profiles a JSON profile file (see {@link ProfileTable}) to replace the built-in 40; null for the built-in
 * @param revealShare the most of the profile the user reveals per reply; in (0, 1], default 0.15 (RLPA's)
 * @param successF1 the final profile F1 from which an episode succeeds, and at which it ends once reached with every
 *     fact matched; in (0, 1], default 0.8
 * @param user the simulated user, a registered simulator: a name or {@code {name: ..., config: {...}}}. Default
 *     {@code personalisation-user}, which plays this configuration's {@code profiles} and {@code revealShare}
 */
public record PersonalisationConfig(int maxTurns, String profiles, double revealShare, double successF1,
    PluginRef user) {
  /** The built-in rule-based user, which plays this configuration's profiles and revealShare. */
  static final BuiltInUser BUILT_IN = new BuiltInUser(PersonalisationUserProvider.NAME,
      "profiles and revealShare", "those");
  static final PluginRef DEFAULT_USER = BUILT_IN.ref();

  public PersonalisationConfig {
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    if (!(successF1 > 0 && successF1 <= 1)) {
      throw new IllegalArgumentException("successF1 must be in (0, 1], was " + successF1);
    }
    new PersonalisationUserConfig(profiles, revealShare);
    user = BUILT_IN.check(user);
  }

  /** Twelve turns, the built-in profiles, 15% per reply, success from F1 0.8, the rule-based user. */
  public static PersonalisationConfig defaults() {
    return new PersonalisationConfig(12, null, 0.15, 0.8, DEFAULT_USER);
  }

  public PersonalisationConfig withMaxTurns(int maxTurns) {
    return new PersonalisationConfig(maxTurns, profiles, revealShare, successF1, user);
  }

  public PersonalisationConfig withProfiles(String profiles) {
    return new PersonalisationConfig(maxTurns, profiles, revealShare, successF1, user);
  }

  ProfileTable table() {
    return ProfileTable.of(profiles);
  }

  PluginRef userRef() {
    return BUILT_IN.resolve(user, () -> new PersonalisationUserConfig(profiles, revealShare));
  }
}
