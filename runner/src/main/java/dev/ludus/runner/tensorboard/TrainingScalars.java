package dev.ludus.runner.tensorboard;

import java.nio.file.Path;
import java.util.Map;

/**
 * The trainer's TensorBoard log: each {@code metrics.jsonl} line it {@link #record records} becomes one event of
 * its scalars ({@link MetricScalars}) in {@code RUN_DIR/tb/}, so {@code tensorboard --logdir runs/} plots the same
 * names as {@code metrics.jsonl}. Not thread-safe (the training loop's thread). Closed by its opener.
 */
public final class TrainingScalars implements AutoCloseable {
  /** The subdirectory of a run directory that holds its event files. */
  public static final String DIRECTORY = "tb";

  private final EventFileWriter writer;
  private long step;

  private TrainingScalars(EventFileWriter writer) {
    this.writer = writer;
  }

  /** A new event file in {@code runDirectory/tb/}. */
  public static TrainingScalars open(Path runDirectory) {
    return new TrainingScalars(EventFileWriter.open(runDirectory.resolve(DIRECTORY)));
  }

  /**
   * Writes one line's {@code scalars} (see {@link MetricScalars}) as one event at optimizer step {@code step}, or,
   * when {@code step} is negative (an iteration without an update), at the step of the event before.
   */
  public void record(long step, Map<String, Double> scalars) {
    this.step = step >= 0 ? step : this.step;
    writer.scalars(this.step, scalars);
  }

  @Override
  public void close() {
    writer.close();
  }
}
