package dev.ludus.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A multi-agent environment whose steps wait on something (a model, the network). Same contract as
 * {@link MultiAgentEnvironment}; the stages may complete on any thread and must never block the calling thread.
 * Not thread-safe: the runtime calls one method at a time.
 */
public non-sealed interface AsyncMultiAgentEnvironment extends AnyMultiAgentEnvironment {
  /** Starts a match on {@code task}; {@code seed} drives any randomness of the dynamics. */
  CompletionStage<MatchStart> reset(Task task, long seed);

  /** Applies the moves of the seats to act, keyed by seat name. */
  CompletionStage<MatchStep> step(Map<String, Message> moves);
}
