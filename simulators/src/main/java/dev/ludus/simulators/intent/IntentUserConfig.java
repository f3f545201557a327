package dev.ludus.simulators.intent;

import java.util.List;
import java.util.Locale;

/**
 * How the intent user plays. Immutable; validated on construction (the specification file is read then).
 *
 * @param spec a JSON specification file in {@link IntentSpec}'s schema; null or blank for the built-in travel booking
 * @param expertise {@code expert} (answers every question), {@code novice} (does not know each attribute with that
 *     attribute's {@code notSure} probability, drawn per episode, and says "not sure" about it), or {@code mixed}
 *     (the default: expert or novice with equal odds per episode)
 */
public record IntentUserConfig(String spec, String expertise) {
  static final List<String> EXPERTISE = List.of("expert", "novice", "mixed");

  public IntentUserConfig {
    expertise = expertise == null || expertise.isBlank() ? "mixed" : expertise.trim().toLowerCase(Locale.ROOT);
    if (!EXPERTISE.contains(expertise)) {
      throw new IllegalArgumentException("expertise: unknown value '" + expertise + "'; allowed: expert, novice, mixed");
    }
    try {
      IntentSpec.of(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec: " + e.getMessage(), e);
    }
  }

  /** The built-in travel booking, mixed expertise. */
  public static IntentUserConfig defaults() {
    return new IntentUserConfig(null, "mixed");
  }

  /** The specification in play. */
  public IntentSpec specification() {
    return IntentSpec.of(spec);
  }
}
