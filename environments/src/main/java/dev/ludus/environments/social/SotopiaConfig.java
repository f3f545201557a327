package dev.ludus.environments.social;

import java.util.List;

/**
 * Configuration of {@code sotopia}. Immutable and thread-safe; validated on construction.
 *
 * @param agentProfiles a JSON file of Sotopia {@code AgentProfile}s to use instead of the shipped table; null (the
 *     default) for the shipped one
 * @param environmentProfiles a JSON file of Sotopia {@code EnvironmentProfile}s (with the rule proxies'
 *     {@code game_metadata}) instead of the shipped table; null (the default) for the shipped one
 * @param maxTurns turns (one agent's action each) before the episode ends, 2 to 100; default 20, Sotopia's
 *     {@code max_turn_number}
 * @param maxStaleTurns the episode ends when more than this many turns in a row did nothing ({@code none}), 0 to 20;
 *     default 2, Sotopia's {@code max_stale_turn}
 * @param reward each seat's reward at the end: {@code goal} (the default: goal completion / 10, what Sotopia-RL and
 *     SOTOPIA-π train on) or {@code overall} (the mean of the seven dimensions)
 */
public record SotopiaConfig(String agentProfiles, String environmentProfiles, int maxTurns, int maxStaleTurns,
    String reward) {
  static final List<String> REWARDS = List.of("goal", "overall");

  public SotopiaConfig {
    if (maxTurns < 2 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 2 and 100, was " + maxTurns);
    }
    if (maxStaleTurns < 0 || maxStaleTurns > 20) {
      throw new IllegalArgumentException("maxStaleTurns must be between 0 and 20, was " + maxStaleTurns);
    }
    reward = reward == null ? "goal" : reward;
    if (!REWARDS.contains(reward)) {
      throw new IllegalArgumentException("reward must be one of " + REWARDS + ", was '" + reward + "'");
    }
  }

  /** The shipped tables, 20 turns, 2 stale turns, goal as the reward. */
  public static SotopiaConfig defaults() {
    return new SotopiaConfig(null, null, 20, 2, "goal");
  }
}
