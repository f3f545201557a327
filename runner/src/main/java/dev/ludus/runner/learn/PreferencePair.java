package dev.ludus.runner.learn;

import java.util.List;
import java.util.Objects;

/**
 * Two responses to the same task for {@link PolicyLearner#preferenceStep}: the chosen one and the rejected one,
 * each the agent turns of one episode ({@link Sample}s: prompt ids then output ids; their behaviour log-probs and
 * advantages are not read). A response's log-likelihood is the sum of its output tokens' log-probabilities given
 * their prompts, so a multi-turn episode is scored on exactly the tokens its policy wrote and never on the
 * environment's. Immutable.
 *
 * @param chosen the preferred response's turns, in order; not empty
 * @param rejected the other response's turns, in order; not empty
 */
public record PreferencePair(List<Sample> chosen, List<Sample> rejected) {
  public PreferencePair {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    if (chosen.isEmpty() || rejected.isEmpty()) {
      throw new IllegalArgumentException("a preference pair needs at least one agent turn on each side, had "
          + chosen.size() + " chosen and " + rejected.size() + " rejected");
    }
    chosen = List.copyOf(chosen);
    rejected = List.copyOf(rejected);
  }
}
