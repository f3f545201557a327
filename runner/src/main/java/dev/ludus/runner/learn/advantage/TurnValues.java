package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Episode;

/**
 * The critic's value estimates for one episode, one per turn boundary: {@code V[t]} is the value of the state
 * in which the agent writes turn {@code t}. The value head lives in the learner; this is how its output
 * reaches {@link AdvantageEstimators#ppoGae}.
 *
 * <p>The array has either one value per turn ({@code T}; the value after the last turn is then 0, as verl
 * does) or one more ({@code T + 1}; the last is the value of the state after the last turn, to bootstrap an
 * episode that was cut rather than finished). Implementations must be safe to call from the estimating
 * thread; the array returned is not kept.
 */
@FunctionalInterface
public interface TurnValues {

  /** The values of {@code episode}'s turn boundaries, of length {@code T} or {@code T + 1}. */
  double[] of(Episode episode);
}
