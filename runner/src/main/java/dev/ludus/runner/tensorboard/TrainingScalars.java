package dev.ludus.runner.tensorboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * The trainer's TensorBoard log: each {@code metrics.jsonl} line it {@link #record records} becomes one event of
 * scalars ({@link MetricScalars}) in {@code RUN_DIR/tb/}, so {@code tensorboard --logdir runs/} plots the same
 * names as {@code metrics.jsonl}. Not thread-safe (the training loop's thread). Closed by its opener.
 */
public final class TrainingScalars implements AutoCloseable {
  /** The subdirectory of a run directory that holds its event files. */
  public static final String DIRECTORY = "tb";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventFileWriter writer;
  private long step;

  private TrainingScalars(EventFileWriter writer) {
    this.writer = writer;
  }

  /** A new event file in {@code runDirectory/tb/}. */
  public static TrainingScalars open(Path runDirectory) {
    return new TrainingScalars(EventFileWriter.open(runDirectory.resolve(DIRECTORY)));
  }

  /** Writes {@code metricsLine}'s scalars as one event and returns the line unchanged (to write it on). */
  public String record(String metricsLine) {
    JsonNode line;
    try {
      line = JSON.readTree(metricsLine);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a metrics line: " + e.getOriginalMessage(), e);
    }
    step = MetricScalars.step(line, step);
    writer.scalars(step, MetricScalars.flatten(line));
    return metricsLine;
  }

  @Override
  public void close() {
    writer.close();
  }
}
