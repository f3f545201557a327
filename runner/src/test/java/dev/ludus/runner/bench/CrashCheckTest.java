package dev.ludus.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.config.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, findings 1 and 2, against real child JVMs: a rollout killed with SIGKILL while it writes leaves a file
 * that reads back, and resumes to exactly the uninterrupted run's episodes; SIGTERM stops it with a summary.
 */
class CrashCheckTest {
  private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xshare:auto");

  @BeforeEach
  void signalsArePosix() {
    assumeFalse(System.getProperty("os.name", "").startsWith("Windows"), "SIGKILL and SIGTERM are POSIX signals");
  }

  @Test
  void sigkilledRolloutsReadBackWithoutDuplicatesAndResumeToExactlyTheUninterruptedRunsEpisodes(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    CrashCheck.Report r = CrashCheck.run(new CrashCheck.Options(3, 1_500, 32, "guess-number", "oracle", 3, 150, dir,
        CHILD_JVM), new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(r.passed(), r.oneLine() + "\n" + log);
    assertEquals(3, r.kills());
    assertEquals(0, r.duplicates());
    assertEquals(0, r.unreadable());
    assertTrue(r.resumes() >= 1, r.oneLine());
    assertEquals(r.runs(), r.finishedRuns());
  }

  @Test
  void sigtermStopsTheRolloutWritesItsSummaryAndSaysHowToResume(@TempDir Path dir) throws Exception {
    CrashCheck.Options o = new CrashCheck.Options(1, 200_000, 32, "guess-number", "oracle", 1, 0, dir, CHILD_JVM);
    Path parent = dir.resolve("run");
    Process child = CrashCheck.start(o, parent, null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Path file = null;
    while (child.isAlive() && System.nanoTime() < deadline && (file == null || Files.size(file) == 0)) {
      try (Stream<Path> s = Files.list(parent)) {
        file = s.filter(Files::isDirectory).map(d -> d.resolve("episodes.jsonl")).filter(Files::exists).findFirst()
            .orElse(null);
      }
      Thread.sleep(5);
    }
    assertTrue(child.isAlive(), "the rollout ended before it could be stopped");
    child.destroy(); // SIGTERM
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the rollout did not stop within 60 s of SIGTERM");
    assertEquals(143, child.exitValue()); // 128 + SIGTERM: the JVM ran its shutdown hooks
    JsonNode summary = Json.JSON.readTree(file.resolveSibling("summary.json").toFile());
    JsonNode stop = summary.get("interrupted");
    assertTrue(stop != null, summary.toString());
    assertEquals(200_000, stop.get("expected").asLong());
    assertTrue(summary.get("episodes").asLong() > 0 && summary.get("episodes").asLong() < 200_000, summary.toString());
    String out = Files.readString(parent.resolve("child.log"));
    assertTrue(out.contains("ludus rollout --resume " + file.getParent()), out);
  }
}
