package dev.ludus.api;

import java.util.List;

/**
 * Signals with one meaning across environments, so that shapers written once work everywhere.
 * An environment publishes the ones that apply to it and lists them in
 * {@link EnvironmentProvider#signals()}.
 */
public final class StandardSignals {
  private StandardSignals() {}

  /** Set on the final step: whether the task was accomplished. The success rate counts it. */
  public static final SignalKey<Boolean> SUCCESS = SignalKey.of("success", Boolean.class);

  /** Why the agent's last action could not be understood or was not allowed (absent when it was fine). */
  public static final SignalKey<String> INVALID_ACTION = SignalKey.of("invalid-action", String.class);

  /** The name of a subgoal reached on this step (e.g. {@code key-picked}). */
  public static final SignalKey<String> SUBGOAL = SignalKey.of("subgoal", String.class);

  /** How many hypotheses (targets, candidates) are still consistent with what the agent learned. */
  public static final SignalKey<Integer> CANDIDATE_COUNT = SignalKey.of("candidate-count", Integer.class);

  /** The Shannon entropy, in bits, of a uniform belief over the remaining candidates. */
  public static final SignalKey<Double> CANDIDATE_ENTROPY = SignalKey.of("candidate-entropy", Double.class);

  /** A simulated user's emotional state, 0 (worst) to 100 (best), after the agent's turn (RLVER). */
  public static final SignalKey<Double> EMOTION = SignalKey.of("emotion", Double.class);

  /** Names of the remaining candidates, when there are few enough to list. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final SignalKey<List<String>> CANDIDATES =
      (SignalKey<List<String>>) (SignalKey) SignalKey.of("candidates", List.class);

  /** Every standard key, for documentation and listing. */
  public static List<SignalKey<?>> all() {
    return List.of(SUCCESS, INVALID_ACTION, SUBGOAL, CANDIDATE_COUNT, CANDIDATE_ENTROPY, CANDIDATES, EMOTION);
  }
}
