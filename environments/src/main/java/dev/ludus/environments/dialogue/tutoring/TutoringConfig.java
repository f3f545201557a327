package dev.ludus.environments.dialogue.tutoring;

import dev.ludus.api.PluginRef;
import dev.ludus.simulators.tutoring.TutoringUserProvider;

/**
 * The configuration of {@code tutoring}. Immutable; validated on construction, naming the bad field.
 *
 * @param maxTurns the most teacher messages; at the limit the conversation ends as if the teacher had written
 *     {@code <end_of_conversation>} (the student still makes its attempts) and the episode is truncated; 1 to 100,
 *     default 15 (Pedagogical RL)
 * @param leakPenalty λ: the reward when the leak check rejects the conversation is {@code −λ} (Pedagogical RL's hard
 *     mode); 0 to 10, default 1.0 (its {@code 7b.yaml})
 * @param user the simulated student, a registered simulator found through the plugin context; default
 *     {@code tutoring-student}. It must publish {@code leak-detected}, and {@code attempts-solved} and
 *     {@code attempts} when the conversation ends.
 */
public record TutoringConfig(int maxTurns, double leakPenalty, PluginRef user) {
  static final PluginRef DEFAULT_USER = PluginRef.of(TutoringUserProvider.NAME);

  public TutoringConfig {
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    if (!(leakPenalty >= 0 && leakPenalty <= 10)) {
      throw new IllegalArgumentException("leakPenalty must be between 0 and 10, was " + leakPenalty);
    }
    user = user == null ? DEFAULT_USER : user;
  }

  public static TutoringConfig defaults() {
    return new TutoringConfig(15, 1.0, DEFAULT_USER);
  }

  public TutoringConfig withUser(PluginRef user) {
    return new TutoringConfig(maxTurns, leakPenalty, user);
  }

  public TutoringConfig withMaxTurns(int maxTurns) {
    return new TutoringConfig(maxTurns, leakPenalty, user);
  }
}
