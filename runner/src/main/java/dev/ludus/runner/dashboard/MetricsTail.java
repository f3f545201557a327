package dev.ludus.runner.dashboard;

import dev.ludus.runner.config.Json;
import dev.ludus.runner.train.IterationMetrics;
import dev.ludus.runner.train.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.jsonl}, tailed: each call reads only the complete lines written since the last one, and
 * keeps every line read ({@link IterationMetrics}) as a {@link Views.MetricPoint} (one small record per update). A file that shrank (replaced)
 * is read again from its start. Thread-safe (synchronized); blocks on file I/O, so call it off the event loop.
 */
final class MetricsTail {
  private final Path file;
  private final List<Views.MetricPoint> points = new ArrayList<>();
  private long offset;
  private int unreadable;

  MetricsTail(Path file) {
    this.file = file;
  }

  /** The lines from {@code from} on, after reading what the file gained. */
  synchronized Views.MetricsPage from(String run, int from) {
    refresh();
    int first = Math.max(0, Math.min(from, points.size()));
    return new Views.MetricsPage(run, first, points.size(), List.copyOf(points.subList(first, points.size())),
        unreadable);
  }

  /** Lines read so far, after reading what the file gained. */
  synchronized int size() {
    refresh();
    return points.size();
  }

  private void refresh() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      long next = Lines.read(file, offset, (start, bytes, off, len) -> add(bytes, off, len));
      if (next == Lines.SHRUNK) {
        points.clear();
        unreadable = 0;
        offset = 0;
        next = Lines.read(file, 0, (start, bytes, off, len) -> add(bytes, off, len));
      }
      offset = next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void add(byte[] bytes, int off, int len) {
    if (len == 0 || new String(bytes, off, len, StandardCharsets.UTF_8).isBlank()) {
      return;
    }
    IterationMetrics m;
    try {
      m = IterationMetrics.read(Json.JSON.readTree(bytes, off, len));
    } catch (IOException | IllegalArgumentException e) {
      unreadable++;
      return;
    }
    points.add(new Views.MetricPoint(points.size(), m.iteration() == null ? points.size() : m.iteration(),
        m.step() == null ? -1 : m.step(), Report.curves(m)));
  }
}
