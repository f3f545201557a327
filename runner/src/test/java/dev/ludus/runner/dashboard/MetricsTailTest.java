package dev.ludus.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics tail: lines appended are read once; a file replaced by a shorter one is read again from its start. */
class MetricsTailTest {
  @Test
  void aReplacedShorterFileIsReadAgainFromItsStart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    MetricsTail tail = new MetricsTail(file);
    assertEquals(0, tail.size(), "no file yet: no points");
    DashboardFixtures.append(dir, "metrics.jsonl", DashboardFixtures.metricsLine(0, 0.1) + "\n"
        + DashboardFixtures.metricsLine(1, 0.2) + "\n");
    assertEquals(2, tail.size());
    DashboardFixtures.append(dir, "metrics.jsonl", DashboardFixtures.metricsLine(2, 0.3) + "\n");
    assertEquals(3, tail.size());
    Files.writeString(file, DashboardFixtures.metricsLine(0, 0.9) + "\n");
    Views.MetricsPage page = tail.from("run", 0);
    assertEquals(1, page.next(), "the new file's one line, not the old three");
    assertEquals(0.9, page.points().get(0).curves().get("success"), 1e-12);
  }
}
