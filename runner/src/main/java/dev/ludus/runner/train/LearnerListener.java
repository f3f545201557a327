package dev.ludus.runner.train;

/**
 * Told of every learner update of a training run (live metrics). The {@link Trainer} calls it when the episode
 * listener it was given also implements this interface, once per iteration that updated the policy, on the
 * trainer's thread; it must be thread-safe and must not block.
 */
@FunctionalInterface
public interface LearnerListener {
  /**
   * @param seconds the wall time of the iteration's updates
   * @param tokens the tokens trained on in them
   */
  void onLearnerStep(double seconds, long tokens);
}
