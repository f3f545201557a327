package dev.ludus.environments.dialogue.support;

import dev.ludus.api.PluginRef;
import dev.ludus.simulators.support.EmotionalSupportUserProvider;

/**
 * The configuration of {@code emotional-support}. Immutable; validated on construction, naming the bad field.
 *
 * @param maxTurns the most agent messages before the episode is truncated; 1 to 100, default 8 (RLVER's
 *     {@code max_turns}); SAGE talks for up to 10
 * @param user the simulated user, a registered simulator found through the plugin context: a name, or
 *     {@code {name: ..., config: {...}}}; default {@code emotional-support-user} with RLVER's setting (start at 30).
 *     SAGE's: {@code {name: emotional-support-user, config: {startEmotion: 40, deltaClip: 10}}}; a profile table
 *     of one's own: {@code config: {profiles: my-profiles.json}}. It must publish the {@code emotion} signal.
 */
public record EmotionalSupportConfig(int maxTurns, PluginRef user) {
  static final PluginRef DEFAULT_USER = PluginRef.of(EmotionalSupportUserProvider.NAME);

  public EmotionalSupportConfig {
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    user = user == null ? DEFAULT_USER : user;
  }

  /** 8 turns with the rule-based user in RLVER's setting. */
  public static EmotionalSupportConfig defaults() {
    return new EmotionalSupportConfig(8, DEFAULT_USER);
  }

  /** This configuration with another user. */
  public EmotionalSupportConfig withUser(PluginRef user) {
    return new EmotionalSupportConfig(maxTurns, user);
  }

  /** This configuration with another turn limit. */
  public EmotionalSupportConfig withMaxTurns(int maxTurns) {
    return new EmotionalSupportConfig(maxTurns, user);
  }
}
