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

  /**
   * Set on a step where the agent called tools: whether every call could be read, named a tool on offer
   * and had arguments satisfying that tool's JSON Schema (a call that then timed out or failed inside the
   * tool was still valid). Absent on a step without calls. Published by
   * {@link dev.ludus.api.tools.ToolDispatcher}.
   */
  public static final SignalKey<Boolean> TOOL_CALL_VALID = SignalKey.of("tool-call-valid", Boolean.class);

  /**
   * Why tool calls of this step failed, one {@code kind: detail} per failed call joined by {@code "; "}, with
   * kind one of {@code unknown-tool}, {@code malformed-call}, {@code invalid-arguments} (the detail names the
   * field), {@code timeout}, {@code tool-failed} (see {@link dev.ludus.api.tools.ToolError}). Absent when every
   * call succeeded.
   */
  public static final SignalKey<String> TOOL_ERROR = SignalKey.of("tool-error", String.class);

  /** Every standard key, for documentation and listing. */
  public static List<SignalKey<?>> all() {
    return List.of(SUCCESS, INVALID_ACTION, SUBGOAL, CANDIDATE_COUNT, CANDIDATE_ENTROPY, CANDIDATES, EMOTION,
        TOOL_CALL_VALID, TOOL_ERROR);
  }
}
