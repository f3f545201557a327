package dev.ludus.runner.train;

import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.runner.learn.LearnerCheckpoint;
import java.nio.file.Path;

/**
 * The KL reference of a run: the policy as RL starts from it (after the warm start), frozen
 * ({@link TrainablePolicy#frozenCopy}), saved in every checkpoint and loaded on a resume. Owns the frozen model and
 * is closed after the learner that reads it. Not thread-safe.
 */
final class ReferencePolicy implements AutoCloseable {
  private TrainablePolicy model;

  private ReferencePolicy(TrainablePolicy model) {
    this.model = model;
  }

  /** The reference saved with {@code checkpoint} (none in it, or {@code checkpoint} null: none yet). */
  static ReferencePolicy load(Path checkpoint, TrainablePolicy trainable) {
    return new ReferencePolicy(checkpoint == null ? null
        : LearnerCheckpoint.loadReference(checkpoint, trainable).orElse(null));
  }

  /** The frozen model, or null when there is none. */
  TrainablePolicy model() {
    return model;
  }

  /** Freezes {@code trainable} as it is now as the reference, and returns it. */
  TrainablePolicy freeze(TrainablePolicy trainable) {
    model = trainable.frozenCopy();
    return model;
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
