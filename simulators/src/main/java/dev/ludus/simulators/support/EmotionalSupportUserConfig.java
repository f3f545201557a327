package dev.ludus.simulators.support;

import java.util.List;

/**
 * How the rule-based emotional-support user plays. Immutable; validated on construction, naming the bad field.
 *
 * @param startEmotion the emotion score at the start, 0 to 100: 30 as in RLVER's training (the default), 40 as
 *     in SAGE
 * @param deltaClip the largest change of emotion per turn; 0 for none (RLVER, the default), 10 as in SAGE
 * @param profiles a JSON file of profiles in the {@link SupportProfile} schema replacing the built-in table; empty
 *     (the default) for the built-in 12 profiles. Read when the configuration is made: a bad file fails here.
 */
public record EmotionalSupportUserConfig(double startEmotion, double deltaClip, String profiles) {
  public EmotionalSupportUserConfig {
    if (!(startEmotion >= 10 && startEmotion < 100)) {
      throw new IllegalArgumentException("startEmotion must be at least 10 and below 100 (bands C to A; S and F end "
          + "the conversation), was " + startEmotion);
    }
    try {
      new SupportRules(deltaClip);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    profiles = profiles == null ? "" : profiles.trim();
    try {
      SupportProfiles.resolve(profiles);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("profiles: " + e.getMessage(), e);
    }
  }

  /** RLVER's setting: start at 30, no clip, the built-in profiles. */
  public static EmotionalSupportUserConfig defaults() {
    return new EmotionalSupportUserConfig(30, 0, "");
  }

  /** SAGE's setting: start at 40, changes clipped to ±10, the built-in profiles. */
  public static EmotionalSupportUserConfig sage() {
    return new EmotionalSupportUserConfig(40, 10, "");
  }

  /** The profile table this configuration plays. */
  public List<SupportProfile> table() {
    return SupportProfiles.resolve(profiles);
  }

  /** The update rules. */
  public SupportRules rules() {
    return new SupportRules(deltaClip);
  }
}
