package dev.ludus.api;

import java.util.concurrent.CompletionStage;

/**
 * An environment whose steps wait on something (a simulated user driven by a model, a tool server, a
 * database). Same contract as {@link Environment}; the stages must complete on whatever thread they like,
 * and must never block the calling thread. Not thread-safe: the runtime calls one method at a time.
 */
public non-sealed interface AsyncEnvironment extends AnyEnvironment {
  /** Starts an episode on {@code task}; {@code seed} drives any randomness of the dynamics. */
  CompletionStage<Reset> reset(Task task, long seed);

  /** Applies the agent's message. */
  CompletionStage<StepResult> step(Message action);
}
