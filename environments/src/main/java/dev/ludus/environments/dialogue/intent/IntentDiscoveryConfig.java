package dev.ludus.environments.dialogue.intent;

import dev.ludus.api.PluginRef;
import dev.ludus.environments.dialogue.BuiltInUser;
import dev.ludus.simulators.intent.IntentSpec;
import dev.ludus.simulators.intent.IntentUserConfig;
import dev.ludus.simulators.intent.IntentUserProvider;
import java.util.List;
import java.util.Locale;

/**
 * The configuration of {@code intent-discovery}. Immutable; validated on construction, naming the bad field, its
 * value and what is allowed.
 *
 * @param maxTurns the most agent messages (questions and the final specification) before truncation; 1 to 1000,
 *     default 12
 * @param spec a JSON attribute specification in {@link IntentSpec}'s schema; null or blank (the default) for the
 *     built-in travel booking (7 attributes, 24,576 intents, 14.58 bits)
 * @param expertise the user's: {@code expert}, {@code novice} or {@code mixed} (default; see {@link IntentUserConfig})
 * @param gain the per-turn reward for the entropy removed: {@code bits} (default), {@code normalised} (divided by the
 *     initial entropy, so a whole episode's gains sum to at most 1) or {@code none}
 * @param outcome the final specification's reward: {@code share} (default; the share of the attributes the user knows
 *     that are right) or {@code all} (1 only when all of them are right)
 * @param user the simulated user, a registered simulator: default {@code intent-user}, which plays this
 *     configuration's {@code spec} and {@code expertise} (so it takes no config of its own here); another simulator
 *     gets exactly the {@code config} given
 */
public record IntentDiscoveryConfig(int maxTurns, String spec, String expertise, String gain, String outcome,
    PluginRef user) {
  /** The built-in rule-based user, which plays this configuration's spec and expertise. */
  static final BuiltInUser BUILT_IN = new BuiltInUser(IntentUserProvider.NAME, "spec and expertise", "those fields");
  static final PluginRef DEFAULT_USER = BUILT_IN.ref();
  static final List<String> GAINS = List.of("bits", "normalised", "none");
  static final List<String> OUTCOMES = List.of("share", "all");

  public IntentDiscoveryConfig {
    if (maxTurns < 1 || maxTurns > 1000) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 1000, was " + maxTurns);
    }
    gain = gain == null || gain.isBlank() ? "bits" : gain.trim().toLowerCase(Locale.ROOT);
    if (!GAINS.contains(gain)) {
      throw new IllegalArgumentException("gain: unknown value '" + gain + "'; allowed: " + String.join(", ", GAINS));
    }
    outcome = outcome == null || outcome.isBlank() ? "share" : outcome.trim().toLowerCase(Locale.ROOT);
    if (!OUTCOMES.contains(outcome)) {
      throw new IllegalArgumentException("outcome: unknown value '" + outcome + "'; allowed: "
          + String.join(", ", OUTCOMES));
    }
    expertise = new IntentUserConfig(spec, expertise).expertise(); // validates spec and expertise
    user = BUILT_IN.check(user);
  }

  /** 12 turns, the travel booking, mixed expertise, gains in bits, the share right as outcome. */
  public static IntentDiscoveryConfig defaults() {
    return new IntentDiscoveryConfig(12, null, "mixed", "bits", "share", DEFAULT_USER);
  }

  public IntentDiscoveryConfig withMaxTurns(int maxTurns) {
    return new IntentDiscoveryConfig(maxTurns, spec, expertise, gain, outcome, user);
  }

  public IntentDiscoveryConfig withExpertise(String expertise) {
    return new IntentDiscoveryConfig(maxTurns, spec, expertise, gain, outcome, user);
  }

  public IntentDiscoveryConfig withReward(String gain, String outcome) {
    return new IntentDiscoveryConfig(maxTurns, spec, expertise, gain, outcome, user);
  }

  /** The specification in play. */
  public IntentSpec specification() {
    return IntentSpec.of(spec);
  }

  PluginRef userRef() {
    return BUILT_IN.resolve(user, () -> new IntentUserConfig(spec, expertise));
  }
}
