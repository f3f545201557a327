package dev.ludus.runner.train;

import dev.ludus.runner.tensorboard.TrainingScalars;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Where each iteration's {@link IterationMetrics} go: a line each in {@code metrics.jsonl} (appended, flushed per
 * iteration) and the same scalars as TensorBoard events in {@code tb/} ({@link TrainingScalars}). Not thread-safe
 * (the training loop's thread); closed by its opener.
 */
final class MetricsLog implements AutoCloseable {
  private final BufferedWriter lines;
  private final TrainingScalars scalars;

  private MetricsLog(BufferedWriter lines, TrainingScalars scalars) {
    this.lines = lines;
    this.scalars = scalars;
  }

  static MetricsLog open(TrainingFiles dir) throws IOException {
    BufferedWriter lines = Files.newBufferedWriter(dir.metrics(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    try {
      return new MetricsLog(lines, TrainingScalars.open(dir.root()));
    } catch (RuntimeException e) {
      lines.close();
      throw e;
    }
  }

  /** Writes iteration {@code it}'s lines: one per update, or one for an iteration without an update. */
  void write(int it, Iteration iteration) throws IOException {
    for (IterationMetrics m : iteration.metrics(it)) {
      scalars.record(m.step(), m.scalars());
      lines.write(m.toJson());
      lines.newLine();
    }
    lines.flush();
  }

  @Override
  public void close() throws IOException {
    try (lines) {
      scalars.close();
    }
  }
}
